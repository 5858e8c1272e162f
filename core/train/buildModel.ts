// ModelSpec -> tfjs LayersModel, through the functional API so `inputs` can wire any graph.
// Every initializer and dropout layer gets a seed derived from train.seed: same file, same run.
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec, ModelSpec, InitializerSpec } from '../spec/model';
import { INPUT_ID } from '../analysis/shapes';
import { deriveSeed } from '../util/random';

type SymbolicTensor = tfl.SymbolicTensor;

export function buildModel(spec: ModelSpec): tfl.LayersModel {
  const input = tfl.input({ shape: spec.model.input, name: 'input' });
  const outputs = new Map<string, SymbolicTensor>([[INPUT_ID, input]]);
  spec.model.layers.forEach((layer, i) => {
    const source = outputs.get(layer.inputs[0] ?? INPUT_ID);
    if (!source) throw new Error(`Layer '${layer.id}' takes '${layer.inputs[0]}', which does not exist.`);
    const seed = deriveSeed(spec.train.seed, 1000 + i);
    outputs.set(layer.id, makeLayer(layer, seed).apply(source) as SymbolicTensor);
  });
  const last = spec.model.layers[spec.model.layers.length - 1] as LayerSpec;
  return tfl.model({ inputs: input, outputs: outputs.get(last.id) as SymbolicTensor, name: sanitize(spec.name) });
}

function makeLayer(layer: LayerSpec, seed: number): tfl.layers.Layer {
  const { kernelInitializer, biasInitializer, ...rest } = layer.config as Record<string, unknown>;
  // The config was validated against the layer catalogue, so it has the fields each factory needs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const common: any = { ...rest, name: sanitize(layer.id) };
  const inits = {
    kernelInitializer: initializer(kernelInitializer as InitializerSpec | undefined, seed, 'glorotUniform'),
    biasInitializer: initializer(biasInitializer as InitializerSpec | undefined, seed + 1, 'zeros'),
  };
  switch (layer.kind) {
    case 'dense':
      return tfl.layers.dense({ ...common, ...inits });
    case 'conv2d':
      return tfl.layers.conv2d({ ...common, ...inits });
    case 'maxPooling2d':
      return tfl.layers.maxPooling2d(common);
    case 'flatten':
      return tfl.layers.flatten(common);
    case 'dropout':
      return tfl.layers.dropout({ ...common, seed });
    default:
      throw new Error(`Layer kind '${layer.kind}' has no builder.`);
  }
}

function initializer(spec: InitializerSpec | undefined, seed: number, fallback: InitializerSpec['name']): ReturnType<typeof tfl.initializers.zeros> {
  const name = spec?.name ?? fallback;
  const o = spec?.options ?? {};
  const i = tfl.initializers;
  switch (name) {
    case 'glorotNormal': return i.glorotNormal({ seed });
    case 'glorotUniform': return i.glorotUniform({ seed });
    case 'heNormal': return i.heNormal({ seed });
    case 'heUniform': return i.heUniform({ seed });
    case 'leCunNormal': return i.leCunNormal({ seed });
    case 'leCunUniform': return i.leCunUniform({ seed });
    case 'randomNormal': return i.randomNormal({ mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed });
    case 'randomUniform': return i.randomUniform({ minval: o.minval ?? -0.05, maxval: o.maxval ?? 0.05, seed });
    case 'truncatedNormal': return i.truncatedNormal({ mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed });
    case 'zeros': return i.zeros();
    case 'ones': return i.ones();
    case 'constant': return i.constant({ value: o.value ?? 0 });
  }
}

/** tfjs layer names must be unique and simple; ids are user text. */
function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'layer';
}
