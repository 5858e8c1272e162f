// Dataset -> tensors shaped for the model: inputs reshaped to model.input, targets encoded to fit
// the output (one 0/1 column for a single unit, one-hot for one unit per class).
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset';

export interface TensorPair {
  x: tf.Tensor;
  y: tf.Tensor;
  n: number;
}

export function toTensors(ds: Dataset, inputShape: number[], outputUnits: number): TensorPair {
  const x = tf.tensor(ds.x, [ds.n, ...inputShape], 'float32');
  let y: tf.Tensor;
  if (ds.task === 'regression' || outputUnits === 1) y = tf.tensor2d(ds.y, [ds.n, 1]);
  else {
    const oneHot = new Float32Array(ds.n * outputUnits);
    ds.y.forEach((label, i) => {
      oneHot[i * outputUnits + label] = 1;
    });
    y = tf.tensor2d(oneHot, [ds.n, outputUnits]);
  }
  return { x, y, n: ds.n };
}
