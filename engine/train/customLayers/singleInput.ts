// What the single-input custom layers share: the arguments every layer takes besides its own, and
// the one input (or input shape) out of what tfjs hands a layer, which may be a list of them.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** The arguments of every custom layer, besides its own options. */
export interface BaseLayerArgs {
  name?: string;
  trainable?: boolean;
}

export type Weight = tfl.LayerVariable;

export function inputShapeOf(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
}

export function inputOf(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}
