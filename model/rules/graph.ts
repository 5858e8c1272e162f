// Reading the layer graph the way the rules need it: who feeds whom, and what non-linearity each
// layer applies, whether it is written as an `activation:` option or as a layer of its own.
import type { LayerSummary, ModelSummary } from '../analysis/shapes';
import type { LayerSpec, ModelSpec } from '../language/model';

/** Layers that apply a fixed non-linearity by their kind (tfjs factory names). */
const ACTIVATION_LAYERS: Record<string, string> = {
  reLU: 'relu', leakyReLU: 'leakyRelu', elu: 'elu', softmax: 'softmax', thresholdedReLU: 'thresholdedRelu', prelu: 'prelu', maxout: 'maxout',
};

/** Layers that change neither linearity nor sign: a rule may look through them. */
export const PASS_THROUGH = new Set(['dropout', 'flatten', 'reshape', 'spatialDropout1d', 'spatialDropout2d', 'gaussianNoise', 'gaussianDropout', 'alphaDropout', 'permute', 'repeatVector']);

export const NORMALIZATION = new Set(['batchNormalization', 'layerNormalization', 'groupNormalization', 'instanceNormalization']);

export const RELU_FAMILY = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'swish', 'mish', 'gelu', 'prelu', 'thresholdedRelu']);
export const SATURATING = new Set(['sigmoid', 'tanh', 'hardSigmoid', 'softsign']);
/** Outputs never below zero. */
export const NON_NEGATIVE = new Set(['relu', 'relu6', 'sigmoid', 'hardSigmoid', 'softmax', 'softplus', 'thresholdedRelu']);

/** Layers with a kernel: where activations and initializers matter. */
export const WEIGHTED = new Set(['dense', 'conv1d', 'conv2d', 'conv2dTranspose', 'conv3d', 'depthwiseConv2d', 'separableConv2d']);

/**
 * The non-linearity a layer applies: its `activation:` (default linear for weighted layers), the
 * function an activation layer stands for, or undefined for layers that apply none.
 */
export function activationOf(layer: LayerSpec): string | undefined {
  if (layer.kind in ACTIVATION_LAYERS) return ACTIVATION_LAYERS[layer.kind];
  if (typeof layer.config.activation === 'string') return layer.config.activation;
  return WEIGHTED.has(layer.kind) ? 'linear' : undefined;
}

export function isNonLinear(activation: string | undefined): boolean {
  return activation !== undefined && activation !== 'linear';
}

// Indexes built once per layer list: rules ask "who feeds this layer" for every layer, and a scan
// per question made a 250,000-layer file take minutes.
const idIndex = new WeakMap<readonly LayerSpec[], Map<string, LayerSpec>>();
const consumerIndex = new WeakMap<readonly LayerSpec[], Map<string, LayerSpec[]>>();
const summaryIndex = new WeakMap<readonly LayerSummary[], Map<string, LayerSummary>>();

export function byId(spec: Pick<ModelSpec, 'model'>): Map<string, LayerSpec> {
  const layers = spec.model.layers;
  let index = idIndex.get(layers);
  if (!index) {
    index = new Map();
    for (const l of layers) if (!index.has(l.id)) index.set(l.id, l);
    idIndex.set(layers, index);
  }
  return index;
}

export function consumers(spec: Pick<ModelSpec, 'model'>, id: string): LayerSpec[] {
  const layers = spec.model.layers;
  let index = consumerIndex.get(layers);
  if (!index) {
    index = new Map();
    for (const l of layers) {
      for (const input of new Set(l.inputs)) {
        const list = index.get(input);
        if (list) list.push(l);
        else index.set(input, [l]);
      }
    }
    consumerIndex.set(layers, index);
  }
  return index.get(id) ?? [];
}

/** The one layer feeding `layer`, or undefined for the first layer and merges. */
export function producer(spec: Pick<ModelSpec, 'model'>, layer: LayerSpec): LayerSpec | undefined {
  if (layer.inputs.length !== 1) return undefined;
  return byId(spec).get(layer.inputs[0] as string);
}

/** Walks up from `layer` through pass-through layers to the first one that does something. */
export function effectiveProducer(spec: Pick<ModelSpec, 'model'>, layer: LayerSpec): LayerSpec | undefined {
  let p = producer(spec, layer);
  while (p && PASS_THROUGH.has(p.kind)) p = producer(spec, p);
  return p;
}

export function summaryOf(summary: ModelSummary, id: string): LayerSummary | undefined {
  let index = summaryIndex.get(summary.layers);
  if (!index) {
    index = new Map();
    for (const l of summary.layers) if (!index.has(l.id)) index.set(l.id, l);
    summaryIndex.set(summary.layers, index);
  }
  return index.get(id);
}

export function lastLayer(spec: Pick<ModelSpec, 'model'>): LayerSpec | undefined {
  return spec.model.layers[spec.model.layers.length - 1];
}
