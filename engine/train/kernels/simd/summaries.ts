// AssemblyScript, not TypeScript: the statistics' loops (engine/stats/statsHeap.ts calls them) over
// float32 data in the wasm backend's heap: the two passes of a value summary
// (engine/stats/summarize.ts), a sum of squares, and the feature maps' byte quantization
// (common/stats/mapCodec.ts). They read an activation where it lies, without copying it out and
// without JS's per-element costs (a bounds check, and a branch on every zero that mispredicts on
// ReLU outputs, half of them zero in no order). The arithmetic is the JS loops', in the same order
// (the same partial sums, the bins dividing by the width rather than multiplying by a reciprocal),
// so the results are theirs bit for bit. Results go to scratch buffers of the caller's (f64s
// 8-byte aligned).

// @ts-ignore: decorator
@inline function f32at(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline function put(out: usize, index: i32, v: f64): void {
  store<f64>(out + (<usize>index << 3), v);
}

// @ts-ignore: decorator
@inline function bump(counts: usize, b: i32): void {
  const at = counts + (<usize>b << 2);
  store<i32>(at, load<i32>(at) + 1);
}

// @ts-ignore: decorator
@inline function high(v: v128): v128 {
  return v128.shuffle<f32>(v, v, 2, 3, 0, 1);
}

/**
 * The first pass: out = [min, max, sum, zeros, finite, nan]. Without a finiteness test per value;
 * a NaN or an infinity anywhere (or an overflowing sum) makes the sum non-finite, and only then
 * does the careful pass run, counting NaN and ±Infinity instead of summing them (one chain, in
 * order). The fast pass sums value i into partial sum i % 4, then (s0 + s1) + (s2 + s3), as
 * summarize.ts does: four independent chains instead of one add waiting on the previous one.
 */
export function summary_totals(x: usize, n: i32, out: usize): void {
  let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
  let vMin = f32x4.splat(Infinity), vMax = f32x4.splat(-Infinity);
  let vZeros = i32x4.splat(0);
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + (<usize>i << 2));
    s01 = f64x2.add(s01, f64x2.promote_low_f32x4(v));
    s23 = f64x2.add(s23, f64x2.promote_low_f32x4(high(v)));
    vMin = v128.bitselect(v, vMin, f32x4.lt(v, vMin));
    vMax = v128.bitselect(v, vMax, f32x4.gt(v, vMax));
    vZeros = i32x4.sub(vZeros, f32x4.eq(v, zero));
  }
  let s0 = f64x2.extract_lane(s01, 0), s1 = f64x2.extract_lane(s01, 1);
  let s2 = f64x2.extract_lane(s23, 0), s3 = f64x2.extract_lane(s23, 1);
  let min = f32x4.extract_lane(vMin, 0), max = f32x4.extract_lane(vMax, 0);
  // The lanes in order (extract_lane takes a constant lane: rotate the next one into lane 0).
  for (let k = 1; k < 4; k++) {
    vMin = v128.shuffle<f32>(vMin, vMin, 1, 2, 3, 0);
    vMax = v128.shuffle<f32>(vMax, vMax, 1, 2, 3, 0);
    const a = f32x4.extract_lane(vMin, 0), b = f32x4.extract_lane(vMax, 0);
    if (a < min) min = a;
    if (b > max) max = b;
  }
  let zeros = i32x4.extract_lane(vZeros, 0) + i32x4.extract_lane(vZeros, 1) + i32x4.extract_lane(vZeros, 2) + i32x4.extract_lane(vZeros, 3);
  for (; i < n; i++) {
    const v = f32at(x, i);
    const lane = i & 3;
    if (lane == 0) s0 += <f64>v;
    else if (lane == 1) s1 += <f64>v;
    else if (lane == 2) s2 += <f64>v;
    else s3 += <f64>v;
    if (v < min) min = v;
    if (v > max) max = v;
    zeros += i32(v == 0);
  }
  let sum = (s0 + s1) + (s2 + s3);
  let finite = n, nan = 0;
  if (sum - sum != 0) {
    min = Infinity;
    max = -Infinity;
    sum = 0;
    zeros = 0;
    finite = 0;
    for (i = 0; i < n; i++) {
      const v = f32at(x, i);
      if (v - v == 0) {
        finite++;
        sum += <f64>v;
        min = select<f32>(v, min, v < min);
        max = select<f32>(v, max, v > max);
        zeros += i32(v == 0);
      } else if (v != v) nan++;
    }
  } else if (min == 0 || max == 0) {
    // In order, the first value equal to the extreme is kept (0 before -0, or -0 before 0); the
    // lanes kept their own first ones, so a zero extreme takes the sign of the first zero.
    let k = 0;
    while (f32at(x, k) != 0) k++;
    const first = f32at(x, k);
    if (min == 0) min = first;
    if (max == 0) max = first;
  }
  put(out, 0, <f64>min);
  put(out, 1, <f64>max);
  put(out, 2, sum);
  put(out, 3, <f64>zeros);
  put(out, 4, <f64>finite);
  put(out, 5, <f64>nan);
}

/**
 * The second pass: squared deviations from `mean`, the count within `small` of zero, and `bins`
 * fixed-width bins from `min` (i32 counts written to `counts`, which holds 4 x bins: the rest is
 * scratch). out = [sq, nearZero]. With `allFinite` every value is binned without a test (a width
 * of 0 puts all in the first bin), and the squares go into four partial sums as in the first pass;
 * otherwise NaN and ±Infinity are skipped and the squares are one chain, in order.
 */
export function summary_spread(x: usize, n: i32, mean: f64, min: f64, width: f64, small: f64, bins: i32,
  allFinite: i32, counts: usize, out: usize): void {
  memory.fill(counts, 0, <usize>bins << 4);
  const last = <f64>(bins - 1);
  let sq: f64 = 0;
  let nearZero: i32 = 0;
  if (allFinite) {
    const binned = width > 0;
    if (!binned) store<i32>(counts, n);
    // Four values a step: the divisions two at a time, and each lane counts into its own table,
    // so a run of equal values (the zeros of a ReLU) does not wait on one counter's store.
    const stride = <usize>bins << 2;
    const vMean = f64x2.splat(mean), vMin = f64x2.splat(min), vWidth = f64x2.splat(width);
    const vLast = f64x2.splat(last), vSmall = f64x2.splat(small);
    let q01 = f64x2.splat(0), q23 = f64x2.splat(0);
    let near = i64x2.splat(0);
    let i = 0;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      const a = f64x2.promote_low_f32x4(v), b = f64x2.promote_low_f32x4(high(v));
      near = i64x2.sub(i64x2.sub(near, f64x2.le(f64x2.abs(a), vSmall)), f64x2.le(f64x2.abs(b), vSmall));
      const da = f64x2.sub(a, vMean), db = f64x2.sub(b, vMean);
      q01 = f64x2.add(q01, f64x2.mul(da, da));
      q23 = f64x2.add(q23, f64x2.mul(db, db));
      if (binned) {
        // (v - min) / width >= 0: truncation after clamping is the floor.
        const ba = i32x4.trunc_sat_f64x2_s_zero(f64x2.min(vLast, f64x2.div(f64x2.sub(a, vMin), vWidth)));
        const bb = i32x4.trunc_sat_f64x2_s_zero(f64x2.min(vLast, f64x2.div(f64x2.sub(b, vMin), vWidth)));
        bump(counts, i32x4.extract_lane(ba, 0));
        bump(counts + stride, i32x4.extract_lane(ba, 1));
        bump(counts + 2 * stride, i32x4.extract_lane(bb, 0));
        bump(counts + 3 * stride, i32x4.extract_lane(bb, 1));
      }
    }
    nearZero = <i32>(i64x2.extract_lane(near, 0) + i64x2.extract_lane(near, 1));
    let q0 = f64x2.extract_lane(q01, 0), q1 = f64x2.extract_lane(q01, 1);
    let q2 = f64x2.extract_lane(q23, 0), q3 = f64x2.extract_lane(q23, 1);
    for (; i < n; i++) {
      const v = <f64>f32at(x, i);
      nearZero += i32(Math.abs(v) <= small);
      const d = v - mean;
      const lane = i & 3;
      if (lane == 0) q0 += d * d;
      else if (lane == 1) q1 += d * d;
      else if (lane == 2) q2 += d * d;
      else q3 += d * d;
      if (binned) bump(counts, <i32>Math.min(last, (v - min) / width));
    }
    sq = (q0 + q1) + (q2 + q3);
    for (let k = 0; k < bins; k++) {
      const at = counts + (<usize>k << 2);
      store<i32>(at, load<i32>(at) + load<i32>(at + stride) + load<i32>(at + 2 * stride) + load<i32>(at + 3 * stride));
    }
  } else {
    for (let i = 0; i < n; i++) {
      const v = <f64>f32at(x, i);
      if (v - v != 0) continue;
      nearZero += i32(Math.abs(v) <= small);
      const d = v - mean;
      sq += d * d;
      bump(counts, width > 0 ? <i32>Math.min(last, Math.floor((v - min) / width)) : 0);
    }
  }
  put(out, 0, sq);
  put(out, 1, <f64>nearZero);
}

/** The sum of squares, one f64 chain in order (so the JS loop's sum, bit for bit): an L2 norm squared. */
export function sum_squares(x: usize, n: i32): f64 {
  let s: f64 = 0;
  for (let i = 0; i < n; i++) {
    const v = <f64>f32at(x, i);
    s += v * v;
  }
  return s;
}

/**
 * Feature maps as signed bytes (common/stats/mapCodec.ts's quantizeMaps, the same numbers): for
 * each of `count` examples of `per` values with `c` channels innermost, the largest finite |value|
 * of each channel (f64s to `scales`, example after example), then every value as
 * round(v / max * 127) into `q` (NaN as -127, ±Infinity as ±127, a channel without a non-zero
 * finite value as 0). The rounding is JS's Math.round: halves go up. With channels a multiple of
 * 4, four channels' maxima and two values' quotients at a time (the same operations per value).
 */
export function quantize_maps(x: usize, per: i32, c: i32, count: i32, q: usize, scales: usize): void {
  const lanes = (c & 3) == 0;
  for (let e = 0; e < count; e++) {
    const base = e * per;
    const max = scales + (<usize>(e * c) << 3);
    if (lanes) channelMaxima4(x + (<usize>base << 2), per, c, max);
    else channelMaxima(x + (<usize>base << 2), per, c, max);
    if (lanes) {
      const zero = f64x2.splat(0), one = f64x2.splat(1), half = f64x2.splat(0.5), steps = f64x2.splat(127);
      const top = f64x2.splat(127), bottom = f64x2.splat(-127);
      for (let i = 0, k = 0; i < per; i += 2, k = k + 2 == c ? 0 : k + 2) {
        const v = f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>(base + i) << 2)));
        const m = v128.load(max + (<usize>k << 3));
        const t = f64x2.mul(f64x2.div(v, m), steps);
        const f = f64x2.floor(t);
        let r = v128.bitselect(f64x2.add(f, one), f, f64x2.ge(f64x2.sub(t, f), half));
        r = v128.bitselect(r, v128.bitselect(top, bottom, f64x2.gt(v, zero)), f64x2.eq(f64x2.sub(v, v), zero));
        r = v128.bitselect(r, zero, f64x2.gt(m, zero));
        const b = i32x4.trunc_sat_f64x2_s_zero(r);
        store<i8>(q + <usize>(base + i), <i8>i32x4.extract_lane(b, 0));
        store<i8>(q + <usize>(base + i + 1), <i8>i32x4.extract_lane(b, 1));
      }
      continue;
    }
    for (let i = 0, k = 0; i < per; i++, k = k + 1 == c ? 0 : k + 1) {
      const m = load<f64>(max + (<usize>k << 3));
      const v = <f64>f32at(x, base + i);
      let b: i32 = 0;
      if (m > 0) {
        if (v - v == 0) {
          const t = (v / m) * 127;
          const f = Math.floor(t);
          b = <i32>(t - f >= 0.5 ? f + 1 : f);
        } else b = v > 0 ? 127 : -127;
      }
      store<i8>(q + <usize>(base + i), <i8>b);
    }
  }
}

/** The largest finite |value| of each of `c` channels over `per` values, to `max` (f64s). */
function channelMaxima(x: usize, per: i32, c: i32, max: usize): void {
  memory.fill(max, 0, <usize>c << 3);
  for (let p = 0; p < per; p += c) {
    for (let k = 0; k < c; k++) {
      const a = Math.abs(<f64>f32at(x, p + k));
      const at = max + (<usize>k << 3);
      if (a - a == 0 && a > load<f64>(at)) store<f64>(at, a);
    }
  }
}

/** channelMaxima, four channels at a time (c a multiple of 4). */
function channelMaxima4(x: usize, per: i32, c: i32, max: usize): void {
  const zero = f32x4.splat(0);
  for (let k = 0; k < c; k += 4) {
    let m = zero;
    for (let p = k; p < per; p += c) {
      const a = f32x4.abs(v128.load(x + (<usize>p << 2)));
      m = v128.bitselect(a, m, v128.and(f32x4.eq(f32x4.sub(a, a), zero), f32x4.gt(a, m)));
    }
    const at = max + (<usize>k << 3);
    v128.store(at, f64x2.promote_low_f32x4(m));
    v128.store(at + 16, f64x2.promote_low_f32x4(v128.shuffle<f32>(m, m, 2, 3, 0, 1)));
  }
}
