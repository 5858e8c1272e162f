// One LayerSpec -> one tfjs layer: the tfjs factory of the same name with the file's options,
// initializers and regularizers turned into tfjs objects, and the custom layers tfjs lacks.
import * as tfl from '@tensorflow/tfjs-layers';
// tfjs-layers' orthogonal initializer calls tensor methods (rMat.flatten(), .sign()) that exist only once
// tfjs-core's chained ops are registered; the full tfjs package does that, tfjs-core alone does not.
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import type { InitializerSpec, LayerSpec } from '../../model/language/model';
import type { RegularizerSpec } from '../../model/language/vocabulary';
import { Elu, FastLayerNormalization, FreshMaskDropout, GroupNormalization, InstanceNormalization, Maxout } from './customLayers';
import { FastDense } from './customLayers/fastDense';
import { KERNEL_OPTIONS, makeRegularizer } from './regularization';

type Initializer = ReturnType<typeof tfl.initializers.zeros>;
// The config was validated against the layer catalogue, so it has the fields each factory needs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Args = any;

const INIT_DEFAULTS: Record<string, InitializerSpec['name']> = {
  kernelInitializer: 'glorotUniform', depthwiseInitializer: 'glorotUniform', pointwiseInitializer: 'glorotUniform',
  biasInitializer: 'zeros', betaInitializer: 'zeros', movingMeanInitializer: 'zeros', gammaInitializer: 'ones', movingVarianceInitializer: 'ones',
};

/** Layer kinds whose tfjs factory takes the file's options unchanged (besides initializers and regularizers). */
const FACTORIES: Record<string, (args: Args) => tfl.layers.Layer> = {
  dense: (a: Args) => new FastDense(a), conv1d: tfl.layers.conv1d, conv2d: tfl.layers.conv2d, conv2dTranspose: tfl.layers.conv2dTranspose,
  depthwiseConv2d: tfl.layers.depthwiseConv2d, separableConv2d: tfl.layers.separableConv2d,
  maxPooling1d: tfl.layers.maxPooling1d, maxPooling2d: tfl.layers.maxPooling2d, averagePooling1d: tfl.layers.averagePooling1d, averagePooling2d: tfl.layers.averagePooling2d,
  globalAveragePooling1d: tfl.layers.globalAveragePooling1d, globalAveragePooling2d: tfl.layers.globalAveragePooling2d,
  globalMaxPooling1d: tfl.layers.globalMaxPooling1d, globalMaxPooling2d: tfl.layers.globalMaxPooling2d,
  flatten: tfl.layers.flatten, reshape: tfl.layers.reshape, zeroPadding2d: tfl.layers.zeroPadding2d, upSampling2d: tfl.layers.upSampling2d,
  batchNormalization: tfl.layers.batchNormalization, layerNormalization: (a: Args) => new FastLayerNormalization(a),
  activation: tfl.layers.activation, reLU: tfl.layers.reLU, leakyReLU: tfl.layers.leakyReLU, elu: (a: Args) => new Elu(a), softmax: tfl.layers.softmax,
  add: tfl.layers.add, concatenate: tfl.layers.concatenate, multiply: tfl.layers.multiply,
  maxout: (a: Args) => new Maxout(a), groupNormalization: (a: Args) => new GroupNormalization(a), instanceNormalization: (a: Args) => new InstanceNormalization(a),
};

/** `inputShape` (without batch) fills in a reshape's -1, which tfjs would leave unknown (null) to later layers. */
export function makeLayer(layer: LayerSpec, seed: number, modelRegularizer?: RegularizerSpec, inputShape?: number[]): tfl.layers.Layer {
  const args: Args = { name: sanitize(layer.id) };
  let n = 0;
  for (const [key, value] of Object.entries(layer.config)) {
    if (key.endsWith('Initializer')) args[key] = initializer(value as InitializerSpec, seed + n++);
    else if (key.endsWith('Regularizer')) args[key] = makeRegularizer(value as RegularizerSpec);
    else args[key] = value;
  }
  // Seed every initializer the layer has, also the ones left at their default.
  for (const [key, fallback] of Object.entries(INIT_DEFAULTS)) {
    if (args[key] === undefined && wantsInitializer(layer.kind, key)) args[key] = initializer({ name: fallback, options: {} }, seed + n++);
  }
  for (const key of KERNEL_OPTIONS[layer.kind] ?? []) {
    if (args[key] === undefined && modelRegularizer) args[key] = makeRegularizer(modelRegularizer);
  }
  if (layer.kind === 'dropout') return new FreshMaskDropout({ ...(args as { rate: number }), seed });
  if (layer.kind === 'reshape' && inputShape && (args.targetShape as number[]).includes(-1)) {
    const target = args.targetShape as number[];
    const known = target.reduce((p, d) => (d === -1 ? p : p * d), 1);
    args.targetShape = target.map((d) => (d === -1 ? inputShape.reduce((p, x) => p * x, 1) / known : d));
  }
  // tfjs's softmax layer defaults to axis 1, Keras's (and the catalogue's) to the last.
  if (layer.kind === 'softmax') args.axis = -1;
  if (layer.kind === 'zeroPadding2d' && typeof args.padding === 'number') args.padding = [args.padding, args.padding];
  const factory = FACTORIES[layer.kind];
  if (!factory) throw new Error(`Layer kind '${layer.kind}' has no builder.`);
  return factory(args);
}

const KERNEL_KINDS = new Set(['dense', 'maxout', 'conv1d', 'conv2d', 'conv2dTranspose']);
function wantsInitializer(kind: string, key: string): boolean {
  if (key === 'kernelInitializer') return KERNEL_KINDS.has(kind);
  if (key === 'biasInitializer') return KERNEL_KINDS.has(kind) || kind === 'depthwiseConv2d' || kind === 'separableConv2d';
  if (key === 'depthwiseInitializer') return kind === 'depthwiseConv2d' || kind === 'separableConv2d';
  if (key === 'pointwiseInitializer') return kind === 'separableConv2d';
  return false; // normalisation layers keep tfjs's deterministic ones/zeros
}

function initializer(spec: InitializerSpec, seed: number): Initializer {
  const o = spec.options;
  const i = tfl.initializers;
  switch (spec.name) {
    case 'glorotNormal': return i.glorotNormal({ seed });
    case 'glorotUniform': return i.glorotUniform({ seed });
    case 'heNormal': return i.heNormal({ seed });
    case 'heUniform': return i.heUniform({ seed });
    case 'lecunNormal': case 'leCunNormal': return i.leCunNormal({ seed });
    case 'lecunUniform': case 'leCunUniform': return i.leCunUniform({ seed });
    case 'randomNormal': return i.randomNormal({ mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed });
    case 'randomUniform': return i.randomUniform({ minval: o.minval ?? -0.05, maxval: o.maxval ?? 0.05, seed });
    case 'truncatedNormal': return i.truncatedNormal({ mean: o.mean ?? 0, stddev: o.stddev ?? 0.05, seed });
    case 'zeros': return i.zeros();
    case 'ones': return i.ones();
    case 'constant': return i.constant({ value: o.value ?? 0 });
    case 'orthogonal': return i.orthogonal({ gain: o.gain ?? 1, seed });
  }
}

/** tfjs layer names must be unique and simple, and its weight names start with a letter or digit; ids are user text. */
export function sanitize(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return safe === '' ? 'layer' : /^[A-Za-z0-9]/.test(safe) ? safe : `L${safe}`;
}
