// The second replica follows the first one's learning rate (a schedule hook may change it between
// steps): read from the first optimizer's config, set on the second the way the loop sets it.
import type * as tf from '@tensorflow/tfjs-core';
import { setOptimizerLearningRate } from '../optimizerRules';

export function learningRateOf(optimizer: tf.Optimizer): number {
  const lr = optimizer.getConfig().learningRate;
  return typeof lr === 'number' ? lr : NaN;
}

export function mirrorLearningRate(optimizer: tf.Optimizer, lr: number): void {
  setOptimizerLearningRate(optimizer, lr);
}
