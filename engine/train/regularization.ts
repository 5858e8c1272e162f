// Weight penalties (L1, L2, both = elastic net) from the model file, as tfjs regularizers on the
// layers, and the penalty term the hand-written training loop adds to the loss (tfjs's model.fit
// would add model.losses itself; our loop does not call fit). Reported losses include the penalty,
// as Keras reports them.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { RegularizerSpec } from '../../model/language/vocabulary';

export type Regularizer = ReturnType<typeof tfl.regularizers.l1l2>;

export function makeRegularizer(spec: RegularizerSpec | undefined): Regularizer | undefined {
  if (!spec || (!spec.l1 && !spec.l2)) return undefined;
  return tfl.regularizers.l1l2({ l1: spec.l1 ?? 0, l2: spec.l2 ?? 0 });
}

/** Options whose value is a regularizer, on any layer. */
export const REGULARIZER_OPTIONS = ['kernelRegularizer', 'biasRegularizer', 'depthwiseRegularizer', 'pointwiseRegularizer', 'gammaRegularizer', 'betaRegularizer'] as const;

/** The kernel options a model-wide `model.regularizer` fills in when a layer has none of its own. */
export const KERNEL_OPTIONS: Record<string, readonly string[]> = {
  dense: ['kernelRegularizer'], maxout: ['kernelRegularizer'], conv1d: ['kernelRegularizer'], conv2d: ['kernelRegularizer'],
  conv2dTranspose: ['kernelRegularizer'], depthwiseConv2d: ['depthwiseRegularizer'], separableConv2d: ['depthwiseRegularizer', 'pointwiseRegularizer'],
};

/** Sum of every layer's weight penalties (a scalar), or undefined when the model has none. Call inside a tidy. */
export function regularizationPenalty(model: tfl.LayersModel): tf.Scalar | undefined {
  const terms = model.calculateLosses();
  if (terms.length === 0) return undefined;
  return terms.length === 1 ? (terms[0] as tf.Scalar) : (tf.addN(terms) as tf.Scalar);
}

/** The loss the optimizer minimises and the loop reports: data loss plus the weight penalties. */
export function withPenalty(model: tfl.LayersModel, dataLoss: tf.Scalar): tf.Scalar {
  const penalty = regularizationPenalty(model);
  return penalty ? tf.add(dataLoss, penalty) : dataLoss;
}

/** The current penalty as a number (0 without regularizers), for the validation loss. */
export function penaltyValue(model: tfl.LayersModel): number {
  const p = tf.tidy(() => regularizationPenalty(model) ?? tf.scalar(0));
  const v = p.dataSync()[0] as number;
  p.dispose();
  return v;
}
