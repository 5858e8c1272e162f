// tfjs names -> Keras names for the values a model file holds: activations, initializers,
// regularizers, losses. Typed as Records over the model file's vocabularies, so a name added there
// without a Keras form here fails the type check.
import type { InitializerSpec } from '../../model/language/model';
import type { Activation, InitializerName, LossName, RegularizerSpec } from '../../model/language/vocabulary';
import { call, pyNumber, pyString, type PyArg } from './python';

export const KERAS_ACTIVATIONS: Record<Activation, string> = {
  linear: 'linear', sigmoid: 'sigmoid', tanh: 'tanh', relu: 'relu', relu6: 'relu6', elu: 'elu', selu: 'selu',
  softplus: 'softplus', softsign: 'softsign', hardSigmoid: 'hard_sigmoid', swish: 'swish', softmax: 'softmax',
};

/** A Keras name (string identifier) or an initializer class taking the file's options. */
const KERAS_INITIALIZERS: Record<InitializerName, { name: string } | { cls: string }> = {
  glorotNormal: { name: 'glorot_normal' }, glorotUniform: { name: 'glorot_uniform' },
  heNormal: { name: 'he_normal' }, heUniform: { name: 'he_uniform' },
  lecunNormal: { name: 'lecun_normal' }, lecunUniform: { name: 'lecun_uniform' },
  leCunNormal: { name: 'lecun_normal' }, leCunUniform: { name: 'lecun_uniform' },
  zeros: { name: 'zeros' }, ones: { name: 'ones' },
  // Same option names and defaults in tfjs and Keras (mean 0, stddev 0.05; minval -0.05, maxval 0.05; gain 1).
  randomNormal: { cls: 'RandomNormal' }, randomUniform: { cls: 'RandomUniform' }, truncatedNormal: { cls: 'TruncatedNormal' },
  constant: { cls: 'Constant' }, orthogonal: { cls: 'Orthogonal' },
};

export function activationCode(name: string): string {
  const keras = (KERAS_ACTIVATIONS as Record<string, string>)[name];
  if (!keras) throw new Error(`Activation '${name}' has no Keras name.`);
  return pyString(keras);
}

export function initializerCode(spec: InitializerSpec): string {
  const m = KERAS_INITIALIZERS[spec.name];
  if (!m) throw new Error(`Initializer '${String(spec.name)}' has no Keras form.`);
  if ('name' in m) return pyString(m.name);
  return call(`keras.initializers.${m.cls}`, Object.entries(spec.options).map(([k, v]): PyArg => [k, pyNumber(v)]));
}

export function regularizerCode(r: RegularizerSpec): string {
  if (r.l1 !== undefined && r.l2 !== undefined) return call('keras.regularizers.L1L2', [['l1', pyNumber(r.l1)], ['l2', pyNumber(r.l2)]]);
  if (r.l1 !== undefined) return call('keras.regularizers.L1', [['l1', pyNumber(r.l1)]]);
  return call('keras.regularizers.L2', [['l2', pyNumber(r.l2 ?? 0)]]);
}

export const KERAS_LOSSES: Record<LossName, string> = {
  meanSquaredError: 'keras.losses.MeanSquaredError()',
  binaryCrossentropy: 'keras.losses.BinaryCrossentropy()',
  categoricalCrossentropy: 'keras.losses.CategoricalCrossentropy()',
  meanAbsoluteError: 'keras.losses.MeanAbsoluteError()',
  // tfjs's huber delta is 1, as Keras's.
  huber: 'keras.losses.Huber()',
  kullbackLeiblerDivergence: 'keras.losses.KLDivergence()',
};
