// Smoothing and thinning for the compare chart, on columns (x and y as typed arrays): 200 runs of
// 10k points would otherwise mean millions of small objects per redraw.
//
// Exponential moving average that stays honest when steps are uneven (a run logged every batch next
// to one logged every epoch, or a gap after a resume): a gap of k typical steps decays the average as
// k single steps would. Debiased like Adam's moments: the average starts at 0 and is divided by the
// weight it has accumulated, so the first points are not dragged towards zero.

export interface Pt {
  x: number;
  y: number;
}

export interface Columns {
  xs: Float64Array;
  ys: Float64Array;
}

/** `weight` in [0, 1): 0 = no smoothing, 0.99 = very smooth. Non-finite y stay NaN and do not enter the average. */
export function smoothEma({ xs, ys }: Columns, weight: number): Columns {
  const out = new Float64Array(ys.length);
  if (weight <= 0) {
    out.set(ys);
    return { xs, ys: out };
  }
  const unit = typicalStep(xs);
  let avg = 0;
  let norm = 0;
  let lastX = Number.NaN;
  // Gaps are nearly always the same; pow only when the gap changes (it would dominate the cost).
  let lastGap = Number.NaN;
  let lastDecay = 0;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i] as number;
    const x = xs[i] as number;
    if (!Number.isFinite(y)) {
      out[i] = Number.NaN;
      continue;
    }
    let decay = 0;
    if (lastX === lastX) {
      const gap = x > lastX ? x - lastX : 0;
      if (!(Math.abs(gap - lastGap) <= 1e-9 * unit)) {
        lastGap = gap;
        lastDecay = Math.pow(weight, gap / unit);
      }
      decay = lastDecay;
    }
    avg = decay * avg + (1 - decay) * y;
    norm = decay * norm + (1 - decay);
    lastX = x;
    out[i] = avg / norm;
  }
  return { xs, ys: out };
}

/** The median gap between consecutive x: the "one step" the weight is defined for. */
export function typicalStep(xs: Float64Array): number {
  const gaps: number[] = [];
  // A sample of the gaps is enough for a median and keeps this O(n) for long runs.
  const stride = Math.max(1, Math.floor(xs.length / 1000));
  for (let i = stride; i < xs.length; i += stride) {
    const d = (xs[i] as number) - (xs[i - 1] as number);
    if (d > 0) gaps.push(d);
  }
  if (gaps.length === 0) return 1;
  gaps.sort((a, b) => a - b);
  return gaps[Math.floor(gaps.length / 2)] as number;
}

/**
 * At most ~`max` points: the x range is cut into max/2 buckets and each keeps its lowest and highest
 * point (in x order), so spikes and divergence stay visible however many points a run has. Non-finite
 * y values are left out. Values are rounded to 6 significant digits (what a chart can show).
 */
export function decimateMinMax({ xs, ys }: Columns, max: number): Pt[] {
  const n = xs.length;
  const out: Pt[] = [];
  if (n === 0) return out;
  const buckets = n <= max ? n : Math.max(1, Math.floor(max / 2));
  const x0 = xs[0] as number;
  const span = (xs[n - 1] as number) - x0 || 1;
  let bucket = -1;
  let lo = -1;
  let hi = -1;
  const flush = () => {
    if (lo < 0) return;
    if (lo === hi) out.push(pt(xs, ys, lo));
    else if (lo < hi) out.push(pt(xs, ys, lo), pt(xs, ys, hi));
    else out.push(pt(xs, ys, hi), pt(xs, ys, lo));
  };
  for (let i = 0; i < n; i++) {
    const y = ys[i] as number;
    if (!Number.isFinite(y)) continue;
    if (n <= max) {
      out.push(pt(xs, ys, i));
      continue;
    }
    const b = Math.min(buckets - 1, Math.floor((((xs[i] as number) - x0) / span) * buckets));
    if (b !== bucket) {
      flush();
      bucket = b;
      lo = hi = i;
    } else {
      if (y < (ys[lo] as number)) lo = i;
      if (y > (ys[hi] as number)) hi = i;
    }
  }
  if (n > max) flush();
  return out;
}

const round = (v: number): number => (v === 0 || !Number.isFinite(v) ? v : Number(v.toPrecision(6)));
const pt = (xs: Float64Array, ys: Float64Array, i: number): Pt => ({ x: round(xs[i] as number), y: round(ys[i] as number) });

export function columns(points: Pt[]): Columns {
  const xs = new Float64Array(points.length);
  const ys = new Float64Array(points.length);
  points.forEach((p, i) => {
    xs[i] = p.x;
    ys[i] = p.y;
  });
  return { xs, ys };
}
