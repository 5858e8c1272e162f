// A data set in memory: features as one flat Float32Array, labels as class indices.
import type { Task } from '../../model/datasets';

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

/**
 * Splits off the last `fraction` of an already shuffled set for validation. Both parts are views
 * of the same arrays (subarray), so a large set is never held twice.
 */
export function splitDataset(ds: Dataset, fraction: number): { train: Dataset; val: Dataset } {
  const nVal = Math.floor(ds.n * fraction);
  const nTrain = ds.n - nVal;
  const size = ds.x.length / Math.max(1, ds.n);
  const part = (from: number, to: number): Dataset => ({
    ...ds,
    x: ds.x.subarray(from * size, to * size),
    y: ds.y.subarray(from, to),
    n: to - from,
  });
  return { train: part(0, nTrain), val: part(nTrain, ds.n) };
}

/** Fisher-Yates over whole rows, in place (no second copy of the features). */
export function shuffleRows(ds: Dataset, rng: () => number): Dataset {
  const size = ds.x.length / Math.max(1, ds.n);
  const tmp = new Float32Array(size);
  for (let i = ds.n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    if (i === j) continue;
    tmp.set(ds.x.subarray(i * size, (i + 1) * size));
    ds.x.copyWithin(i * size, j * size, (j + 1) * size);
    ds.x.set(tmp, j * size);
    const t = ds.y[i] as number;
    ds.y[i] = ds.y[j] as number;
    ds.y[j] = t;
  }
  return ds;
}

/** The first n examples (views, no copy). */
export function takeRows(ds: Dataset, n: number): Dataset {
  if (n <= 0 || n >= ds.n) return ds;
  const size = ds.x.length / ds.n;
  return { ...ds, x: ds.x.subarray(0, n * size), y: ds.y.subarray(0, n), n };
}

export interface Standardizer {
  mean: Float32Array;
  std: Float32Array;
}

/** Per-feature mean and standard deviation of `fit` (the training split: the validation data must not leak into it). */
export function fitStandardizer(fit: Dataset): Standardizer {
  const f = fit.x.length / Math.max(1, fit.n);
  const mean = new Float64Array(f);
  const sq = new Float64Array(f);
  for (let i = 0; i < fit.n; i++) {
    for (let j = 0; j < f; j++) {
      const v = fit.x[i * f + j] as number;
      mean[j] = (mean[j] as number) + v;
      sq[j] = (sq[j] as number) + v * v;
    }
  }
  const m = Float32Array.from(mean, (s) => s / Math.max(1, fit.n));
  // A constant column keeps std 1, so it becomes all zeros instead of NaN.
  const std = Float32Array.from(sq, (s, j) => Math.sqrt(Math.max(0, s / Math.max(1, fit.n) - (m[j] as number) ** 2)) || 1);
  return { mean: m, std };
}

export function applyStandardizer(ds: Dataset, s: Standardizer): void {
  const f = s.mean.length;
  for (let i = 0; i < ds.x.length; i++) ds.x[i] = ((ds.x[i] as number) - (s.mean[i % f] as number)) / (s.std[i % f] as number);
}
