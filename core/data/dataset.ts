// A data set in memory: features as one flat Float32Array, labels as class indices.
import type { Task } from './catalog';

export interface Dataset {
  name: string;
  /** n * exampleSize values, row-major. */
  x: Float32Array;
  /** Class index per example (classification) or the target value (regression). */
  y: Float32Array;
  n: number;
  shape: number[];
  classes: number;
  task: Task;
}

/** Splits off the last `fraction` of an already shuffled set for validation. */
export function splitDataset(ds: Dataset, fraction: number): { train: Dataset; val: Dataset } {
  const nVal = Math.floor(ds.n * fraction);
  const nTrain = ds.n - nVal;
  const size = ds.x.length / Math.max(1, ds.n);
  const part = (from: number, to: number): Dataset => ({
    ...ds,
    x: ds.x.slice(from * size, to * size),
    y: ds.y.slice(from, to),
    n: to - from,
  });
  return { train: part(0, nTrain), val: part(nTrain, ds.n) };
}
