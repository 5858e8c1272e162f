// Value summaries: the numbers that cross from the worker instead of a tensor's values. One pass
// for min/max/mean/std and the special counts, one for fixed-width bins over the finite range.
import type { Histogram, ValueSummary } from '../../protocol/stats';

export const DEFAULT_BINS = 30;

/** 4 significant digits: plenty for a picture, and a third of the JSON of a full double. */
export const round4 = (v: number): number => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(4)) : v);

export function summarize(values: ArrayLike<number>, bins = DEFAULT_BINS): ValueSummary {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let zeros = 0;
  let nan = 0;
  let inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else {
      finite++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
    }
  }
  const mean = finite ? sum / finite : 0;
  let sq = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isFinite(v)) sq += (v - mean) * (v - mean);
  }
  const std = finite ? Math.sqrt(sq / finite) : 0;
  if (!finite) {
    min = 0;
    max = 0;
  }
  return {
    count: values.length, min: round4(min), max: round4(max), mean: round4(mean), std: round4(std), zeros, nan, inf,
    hist: histogram(values, min, max, bins),
  };
}

/** Fixed-width bins over [lo, hi]; a constant tensor gets one bin of width 0 holding everything. */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins = DEFAULT_BINS): Histogram {
  const counts = new Array<number>(bins).fill(0);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    const b = width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0;
    counts[b] = (counts[b] as number) + 1;
  }
  return { lo: round4(lo), hi: round4(hi), counts };
}

export function l2(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i] as number) ** 2;
  return Math.sqrt(s);
}

export function l2Diff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += ((a[i] as number) - (b[i] as number)) ** 2;
  return Math.sqrt(s);
}

/** Fraction of units (the last axis) that are never positive on any row: dead ReLUs. */
export function deadFraction(values: ArrayLike<number>, units: number): number {
  if (units <= 0 || values.length === 0) return 0;
  const alive = new Uint8Array(units);
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > 0) alive[i % units] = 1;
  let dead = 0;
  for (let u = 0; u < units; u++) if (!alive[u]) dead++;
  return dead / units;
}

/** Fraction of outputs in the flat tails: sigmoid below 0.02 or above 0.98, tanh beyond ±0.96. */
export function saturatedFraction(values: ArrayLike<number>, activation: 'sigmoid' | 'tanh'): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (activation === 'sigmoid' ? v < 0.02 || v > 0.98 : Math.abs(v) > 0.96) n++;
  }
  return n / values.length;
}
