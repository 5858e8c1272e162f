// Losses and metrics with Keras' arithmetic (probability outputs, clipped at 1e-7), written with
// tfjs-core ops so the training loop owns them and later backends can fuse them.
import * as tf from '@tensorflow/tfjs-core';
import type { LossName } from '../../model/language/vocabulary';
import { categoricalCrossentropy } from './crossEntropy';

const EPS = 1e-7;
const HUBER_DELTA = 1;

export function lossFn(name: LossName): (y: tf.Tensor, p: tf.Tensor) => tf.Scalar {
  switch (name) {
    case 'meanSquaredError':
      return (y, p) => tf.mean(tf.squaredDifference(y, p));
    case 'meanAbsoluteError':
      return (y, p) => tf.mean(tf.abs(tf.sub(y, p)));
    case 'huber':
      // Keras' Huber with delta 1: quadratic within 1 of the target, linear beyond.
      return (y, p) => {
        const err = tf.abs(tf.sub(y, p));
        const quad = tf.minimum(err, HUBER_DELTA);
        return tf.mean(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(HUBER_DELTA, tf.sub(err, quad))));
      };
    case 'kullbackLeiblerDivergence':
      // Keras: sum over classes of y * log(y / p), both clipped to [1e-7, 1], mean over examples.
      return (y, p) => {
        const yc = tf.clipByValue(y, EPS, 1);
        const pc = tf.clipByValue(p, EPS, 1);
        return tf.mean<tf.Scalar>(tf.sum(tf.mul(yc, tf.log(tf.div(yc, pc))), -1));
      };
    case 'binaryCrossentropy':
      return (y, p) => {
        const q = tf.clipByValue(p, EPS, 1 - EPS);
        return tf.neg<tf.Scalar>(tf.mean<tf.Scalar>(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
      };
    case 'categoricalCrossentropy':
      // One op with its gradient in closed form (crossEntropy.ts), not 48 small kernels.
      return categoricalCrossentropy;
  }
}

/** Means a per-element loss over everything but the batch axis: one number per example. */
const perRow = (t: tf.Tensor): tf.Tensor1D => tf.mean(tf.reshape(t, [t.shape[0] as number, -1]), 1) as tf.Tensor1D;

/**
 * The loss of each example, whose mean is lossFn's value: its spread says how much of a change in
 * the validation loss is noise of a small validation set (engine/stats/diagnose.ts, overfitting).
 */
export function perExampleLossFn(name: LossName): (y: tf.Tensor, p: tf.Tensor) => tf.Tensor1D {
  switch (name) {
    case 'meanSquaredError':
      return (y, p) => perRow(tf.squaredDifference(y, p));
    case 'meanAbsoluteError':
      return (y, p) => perRow(tf.abs(tf.sub(y, p)));
    case 'huber':
      return (y, p) => {
        const err = tf.abs(tf.sub(y, p));
        const quad = tf.minimum(err, HUBER_DELTA);
        return perRow(tf.add(tf.mul(0.5, tf.square(quad)), tf.mul(HUBER_DELTA, tf.sub(err, quad))));
      };
    case 'kullbackLeiblerDivergence':
      return (y, p) => {
        const yc = tf.clipByValue(y, EPS, 1);
        const pc = tf.clipByValue(p, EPS, 1);
        return perRow(tf.sum(tf.mul(yc, tf.log(tf.div(yc, pc))), -1, true));
      };
    case 'binaryCrossentropy':
      return (y, p) => {
        const q = tf.clipByValue(p, EPS, 1 - EPS);
        return perRow(tf.neg(tf.add(tf.mul(y, tf.log(q)), tf.mul(tf.sub(1, y), tf.log(tf.sub(1, q))))));
      };
    case 'categoricalCrossentropy':
      return (y, p) => {
        const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), EPS, 1 - EPS);
        return perRow(tf.neg(tf.sum(tf.mul(y, tf.log(q)), -1, true)));
      };
  }
}

/** Number of correct predictions (a count, so that 76/80 is exactly 0.95 once divided in JS):
 *  threshold 0.5 for one output unit, argmax otherwise. */
export function correctCount(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const units = p.shape[p.shape.length - 1];
  if (units === 1) return tf.sum(tf.cast(tf.equal(tf.greater(p, 0.5), tf.greater(y, 0.5)), 'int32'));
  return tf.sum(tf.cast(tf.equal(tf.argMax(p, -1), tf.argMax(y, -1)), 'int32'));
}

/** correctCount on data already in JS (a training batch's targets and predictions): the same count
 *  without five kernels and a read-back per step. Ties go to the first largest, as tf.argMax. */
export function correctCountOf(y: ArrayLike<number>, p: ArrayLike<number>, rows: number, units: number): number {
  let correct = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * units;
    if (units === 1) {
      if ((p[o] as number) > 0.5 === (y[o] as number) > 0.5) correct++;
      continue;
    }
    let bestP = o;
    let bestY = o;
    for (let j = o + 1; j < o + units; j++) {
      if ((p[j] as number) > (p[bestP] as number)) bestP = j;
      if ((y[j] as number) > (y[bestY] as number)) bestY = j;
    }
    if (bestP === bestY) correct++;
  }
  return correct;
}
