// Value summaries: the numbers that cross from the worker instead of a tensor's values. One pass
// for min/max/mean and the special counts, one for the std and the fixed-width bins over the finite
// range; tight loops, since a collection summarizes every activation of the probe batch.
import type { Histogram, ValueSummary } from '../../protocol/stats';

export const DEFAULT_BINS = 30;

/** Exact powers of ten 1e-22..1e22 (every one of them is a double exactly). */
const POW10 = Array.from({ length: 45 }, (_, i) => Number(`1e${i - 22}`));

/**
 * 4 significant digits: plenty for a picture, and a third of the JSON of a full double. The value is
 * exactly Number(v.toPrecision(4)), but without the string round trip (a collection rounds thousands
 * of feature-map values, and toPrecision was a third of its time): scale into [1000, 10000), round,
 * and scale back by an exact power of ten, which gives the double nearest the 4-digit decimal. The
 * rare cases where the scaling could round differently from toPrecision's exact decimal arithmetic
 * (a fraction within 1e-7 of one half, extreme exponents) take toPrecision itself.
 */
export function round4(v: number): number {
  if (v === 0 || v - v !== 0) return v; // zero (either sign), NaN and ±Infinity as they are
  const a = v < 0 ? -v : v;
  let e = Math.floor(Math.log10(a));
  if (e < -18 || e > 18) return Number(v.toPrecision(4));
  let s = a * (POW10[25 - e] as number);
  // log10 may be off by one next to a power of ten: s must have exactly 4 integer digits.
  if (s >= 10000) s = a * (POW10[25 - ++e] as number);
  else if (s < 1000) s = a * (POW10[25 - --e] as number);
  const frac = s - Math.floor(s);
  if (frac > 0.4999999 && frac < 0.5000001) return Number(v.toPrecision(4));
  const m = Math.round(s);
  const r = e <= 3 ? m / (POW10[25 - e] as number) : m * (POW10[19 + e] as number);
  return v < 0 ? -r : r;
}

/** round4 of every value, into a plain array (the JSON form). */
export function round4All(values: ArrayLike<number>, from = 0, to = values.length): number[] {
  const out = new Array<number>(to - from);
  for (let i = from; i < to; i++) out[i - from] = round4(values[i] as number);
  return out;
}

/**
 * "Near zero": within 1% of the tensor's largest magnitude. A gradient step almost never lands a
 * weight exactly on 0 (L1 with Adam leaves none at exactly 0), but L1 drives many to a tiny fraction
 * of the rest, which is the sparsity the course describes; this is the count that shows it.
 */
export const NEAR_ZERO = 0.01;

/** The first pass's results: the finite values' range, sum and zero count, and the NaN count. */
export interface Totals {
  min: number;
  max: number;
  sum: number;
  zeros: number;
  finite: number;
  nan: number;
}

/** The second pass's results: squared deviations from the mean, the near-zero count, bin counts. */
export interface Spread {
  sq: number;
  nearZero: number;
  /** Possibly a view of the wasm heap: summaryOf copies it at once. */
  counts: ArrayLike<number>;
}

/**
 * The two passes over the values: in JS here, or by the kernels' module where a tensor lies in the
 * wasm heap (tensorSummary.ts), with the same arithmetic in the same order, so the same numbers.
 */
export interface SummaryPasses {
  totals(): Totals;
  /** With allFinite every value is binned without a test; otherwise NaN and ±Infinity are skipped. */
  spread(mean: number, min: number, width: number, small: number, bins: number, allFinite: boolean): Spread;
}

export function summarize(values: ArrayLike<number>, bins = DEFAULT_BINS): ValueSummary {
  return summaryOf(values.length, bins, {
    totals: () => totalsOf(values),
    spread: (mean, min, width, small, b, allFinite) => spreadOf(values, mean, min, width, small, b, allFinite),
  });
}

/** A summary of `n` values from its two passes, and what is derived between and after them. */
export function summaryOf(n: number, bins: number, passes: SummaryPasses): ValueSummary {
  const t = passes.totals();
  let { min, max } = t;
  const { sum, zeros, finite, nan } = t;
  const inf = n - finite - nan;
  const mean = finite ? sum / finite : 0;
  if (!finite) {
    min = 0;
    max = 0;
  }
  // The second pass needs only mean, min and max: the squared deviations and the bins together.
  const width = (max - min) / bins;
  const small = NEAR_ZERO * Math.max(Math.abs(min), Math.abs(max));
  const { sq, nearZero, counts } = passes.spread(mean, min, width, small, bins, finite === n);
  const std = finite ? Math.sqrt(sq / finite) : 0;
  return {
    count: n, min: round4(min), max: round4(max), mean: round4(mean), std: round4(std), zeros, nearZero, nan, inf,
    hist: { lo: round4(min), hi: round4(max), counts: plain(counts) },
  };
}

/** A plain array of the counts (Array.from takes a typed array through its iterator: slower). */
function plain(counts: ArrayLike<number>): number[] {
  const out = new Array<number>(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i] as number;
  return out;
}

/**
 * The first pass. Almost every tensor is all finite: it then needs no finiteness test per value. A
 * NaN or an infinity anywhere makes the sum non-finite (so does an overflowing sum), and only then
 * is the careful pass run. Value i goes into partial sum i % 4, then (s0 + s1) + (s2 + s3): four
 * independent chains of additions (the module's SIMD lanes), not one add waiting on the last; the
 * sum differs from a single chain's only in its last bits, below the 4 digits a summary keeps.
 */
function totalsOf(values: ArrayLike<number>): Totals {
  const n = values.length;
  let min = Infinity;
  let max = -Infinity;
  const s = [0, 0, 0, 0];
  let zeros = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] as number;
    s[i & 3] = (s[i & 3] as number) + v;
    if (v < min) min = v;
    if (v > max) max = v;
    if (v === 0) zeros++;
  }
  const sum = ((s[0] as number) + (s[1] as number)) + ((s[2] as number) + (s[3] as number));
  return sum - sum !== 0 ? carefulTotals(values) : { min, max, sum, zeros, finite: n, nan: 0 };
}

function spreadOf(values: ArrayLike<number>, mean: number, min: number, width: number, small: number, bins: number, allFinite: boolean): Spread {
  const n = values.length;
  const counts = new Int32Array(bins);
  let sq = 0;
  let nearZero = 0;
  if (allFinite) {
    // Branch-free counting: activations are about half zeros in no order, so branches mispredict.
    // (v - min) / width >= 0, so truncation (| 0) after clamping is Math.floor. The squares go into
    // four partial sums, as the first pass's values.
    const last = bins - 1;
    const q = [0, 0, 0, 0];
    if (!(width > 0)) counts[0] = n;
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      nearZero += Math.abs(v) <= small ? 1 : 0;
      const d = v - mean;
      q[i & 3] = (q[i & 3] as number) + d * d;
      if (width > 0) {
        const b = Math.min(last, (v - min) / width) | 0;
        counts[b] = (counts[b] as number) + 1;
      }
    }
    sq = ((q[0] as number) + (q[1] as number)) + ((q[2] as number) + (q[3] as number));
  } else {
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v - v !== 0) continue;
      if (Math.abs(v) <= small) nearZero++;
      const d = v - mean;
      sq += d * d;
      const b = width > 0 ? Math.min(bins - 1, Math.floor((v - min) / width)) : 0;
      counts[b] = (counts[b] as number) + 1;
    }
  }
  return { sq, nearZero, counts };
}

/** The first pass with a finiteness test per value: NaN and ±Infinity counted, not summed. */
function carefulTotals(values: ArrayLike<number>): Totals {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let finite = 0;
  let zeros = 0;
  let nan = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    // v - v is 0 exactly for finite v, NaN for NaN and ±Infinity: one test instead of two calls.
    if (v - v === 0) {
      finite++;
      sum += v;
      if (v < min) min = v;
      if (v > max) max = v;
      if (v === 0) zeros++;
    } else if (v !== v) nan++;
  }
  return { min, max, sum, zeros, finite, nan };
}

/** Fixed-width bins over [lo, hi]; a constant tensor gets one bin of width 0 holding everything. */
export function histogram(values: ArrayLike<number>, lo: number, hi: number, bins = DEFAULT_BINS): Histogram {
  const counts = new Float64Array(bins);
  const width = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v - v !== 0) continue;
    const b = width > 0 ? Math.min(bins - 1, Math.floor((v - lo) / width)) : 0;
    counts[b] = (counts[b] as number) + 1;
  }
  return { lo: round4(lo), hi: round4(hi), counts: Array.from(counts) };
}

export function l2(values: ArrayLike<number>): number {
  let s = 0;
  // v * v, not v ** 2: the same number (exact for a float32 value), without a call to Math.pow.
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    s += v * v;
  }
  return Math.sqrt(s);
}

export function l2Diff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}

/** Fraction of units (the last axis) that are never positive on any row: dead ReLUs. */
export function deadFraction(values: ArrayLike<number>, units: number): number {
  if (units <= 0 || values.length === 0) return 0;
  const alive = new Uint8Array(units);
  const n = values.length;
  let living = 0;
  // A healthy layer has every unit alive within a few rows: stop as soon as none can be dead.
  for (let row = 0; row < n && living < units; row += units) {
    for (let u = 0; u < units && row + u < n; u++) {
      if (alive[u] === 0 && (values[row + u] as number) > 0) {
        alive[u] = 1;
        living++;
      }
    }
  }
  return (units - living) / units;
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
