// Dataset -> what the model consumes: inputs reshaped to model.input, targets encoded to fit the
// output (one 0/1 column for a single unit, one-hot for one unit per class). Training batches are
// assembled in JS from the shuffled row order and copied into the backend once: far cheaper than
// a gather kernel per batch.
import * as tf from '@tensorflow/tfjs-core';
import type { Dataset } from '../data/dataset';

export interface EncodedSet {
  x: Float32Array;
  y: Float32Array;
  n: number;
  xShape: number[];
  yWidth: number;
}

export interface TensorPair {
  x: tf.Tensor;
  y: tf.Tensor;
  n: number;
}

export function encode(ds: Dataset, inputShape: number[], outputUnits: number): EncodedSet {
  const yWidth = ds.task === 'regression' || outputUnits === 1 ? 1 : outputUnits;
  let y = ds.y;
  if (yWidth > 1) {
    y = new Float32Array(ds.n * yWidth);
    ds.y.forEach((label, i) => {
      y[i * yWidth + label] = 1;
    });
  }
  return { x: ds.x, y, n: ds.n, xShape: inputShape, yWidth };
}

export function toTensors(set: EncodedSet): TensorPair {
  return { x: tf.tensor(set.x, [set.n, ...set.xShape], 'float32'), y: tf.tensor2d(set.y, [set.n, set.yWidth]), n: set.n };
}

/** Changes a batch's inputs in place before they reach the backend (engine/data/augment.ts). */
export interface BatchAugmenter {
  apply(x: Float32Array, n: number): void;
}

/** Reusable buffers for one batch size; the augmenter, if any, sees every training batch. */
export class BatchAssembler {
  private readonly xRow: number;
  private xBuf = new Float32Array(0);
  private yBuf = new Float32Array(0);

  constructor(private readonly set: EncodedSet, private readonly augmenter?: BatchAugmenter) {
    this.xRow = set.xShape.reduce((a, b) => a * b, 1);
  }

  /** Copies rows `idx` (augmented) into the given buffers: for batches assembled elsewhere (shared memory). */
  writeRows(idx: Int32Array, xOut: Float32Array, yOut: Float32Array): void {
    const { xRow, set } = this;
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i] as number;
      xOut.set(set.x.subarray(r * xRow, (r + 1) * xRow), i * xRow);
      yOut.set(set.y.subarray(r * set.yWidth, (r + 1) * set.yWidth), i * set.yWidth);
    }
    this.augmenter?.apply(xOut, idx.length);
  }

  /** Tensors for the rows `idx` (the caller disposes them), and the targets' data, valid until the next batch. */
  batch(idx: Int32Array): { x: tf.Tensor; y: tf.Tensor; yData: Float32Array } {
    const { xRow, set } = this;
    const n = idx.length;
    if (this.xBuf.length !== n * xRow) {
      this.xBuf = new Float32Array(n * xRow);
      this.yBuf = new Float32Array(n * set.yWidth);
    }
    this.writeRows(idx, this.xBuf, this.yBuf);
    return { x: tf.tensor(this.xBuf, [n, ...set.xShape], 'float32'), y: tf.tensor2d(this.yBuf, [n, set.yWidth]), yData: this.yBuf };
  }
}
