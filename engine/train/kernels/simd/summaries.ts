// AssemblyScript, not TypeScript: the two passes of a value summary (engine/stats/summarize.ts)
// over a float32 tensor where it lies in the wasm backend's heap, so the statistics read an
// activation without copying it out and without JS's per-element costs (a bounds check, and a
// branch on every zero that mispredicts on ReLU outputs, half of them zero in no order).
// The arithmetic is summarize.ts's, in the same order: the sums are one f64 chain, value by value,
// and the bins divide by the width (no reciprocal), so the results are the JS loops' bit for bit.
// Results go to `out`, a scratch buffer of the caller's (f64s, 8-byte aligned).

// @ts-ignore: decorator
@inline function f32at(base: usize, index: i32): f32 {
  return load<f32>(base + (<usize>index << 2));
}

// @ts-ignore: decorator
@inline function put(out: usize, index: i32, v: f64): void {
  store<f64>(out + (<usize>index << 3), v);
}

/**
 * The first pass: out = [min, max, sum, zeros, finite, nan]. Without a finiteness test per value;
 * a NaN or an infinity anywhere (or an overflowing sum) makes the sum non-finite, and only then
 * does the careful pass run, counting NaN and ±Infinity instead of summing them.
 */
export function summary_totals(x: usize, n: i32, out: usize): void {
  let min: f32 = Infinity, max: f32 = -Infinity;
  let sum: f64 = 0;
  let zeros: i32 = 0;
  for (let i = 0; i < n; i++) {
    const v = f32at(x, i);
    sum += <f64>v;
    // select, not f32.min: JS keeps the first of equal values (0 before -0), and so does this.
    min = select<f32>(v, min, v < min);
    max = select<f32>(v, max, v > max);
    zeros += i32(v == 0);
  }
  let finite = n, nan = 0;
  if (sum - sum != 0) {
    min = Infinity;
    max = -Infinity;
    sum = 0;
    zeros = 0;
    finite = 0;
    for (let i = 0; i < n; i++) {
      const v = f32at(x, i);
      if (v - v == 0) {
        finite++;
        sum += <f64>v;
        min = select<f32>(v, min, v < min);
        max = select<f32>(v, max, v > max);
        zeros += i32(v == 0);
      } else if (v != v) nan++;
    }
  }
  put(out, 0, <f64>min);
  put(out, 1, <f64>max);
  put(out, 2, sum);
  put(out, 3, <f64>zeros);
  put(out, 4, <f64>finite);
  put(out, 5, <f64>nan);
}

// @ts-ignore: decorator
@inline function bump(counts: usize, b: i32): void {
  const at = counts + (<usize>b << 2);
  store<i32>(at, load<i32>(at) + 1);
}

/**
 * The second pass: squared deviations from `mean`, the count within `small` of zero, and `bins`
 * fixed-width bins from `min` (i32 counts written to `counts`, which holds 2 x bins: the second
 * half is scratch). out = [sq, nearZero]. With `allFinite` every value is binned without a test
 * (a width of 0 puts all in the first bin); otherwise NaN and ±Infinity are skipped.
 */
export function summary_spread(x: usize, n: i32, mean: f64, min: f64, width: f64, small: f64, bins: i32,
  allFinite: i32, counts: usize, out: usize): void {
  memory.fill(counts, 0, <usize>bins << 3);
  const last = <f64>(bins - 1);
  let sq: f64 = 0;
  let nearZero: i32 = 0;
  let i = 0;
  if (allFinite && width > 0) {
    // Two values a step in f64x2 (the division is most of the cost); the squares are added one by
    // one, in order, and alternate values count into two tables, so that a run of equal values
    // (the zeros of a ReLU) does not wait on one counter's store.
    const other = counts + (<usize>bins << 2);
    const vMean = f64x2.splat(mean), vMin = f64x2.splat(min), vWidth = f64x2.splat(width);
    const vLast = f64x2.splat(last), vSmall = f64x2.splat(small);
    let near = i64x2.splat(0);
    for (; i + 2 <= n; i += 2) {
      const v = f64x2.promote_low_f32x4(v128.load64_zero(x + (<usize>i << 2)));
      near = i64x2.sub(near, f64x2.le(f64x2.abs(v), vSmall));
      const d = f64x2.sub(v, vMean);
      const dd = f64x2.mul(d, d);
      sq += f64x2.extract_lane(dd, 0);
      sq += f64x2.extract_lane(dd, 1);
      // (v - min) / width >= 0: truncation after clamping is the floor.
      const b = i32x4.trunc_sat_f64x2_s_zero(f64x2.min(vLast, f64x2.div(f64x2.sub(v, vMin), vWidth)));
      bump(counts, i32x4.extract_lane(b, 0));
      bump(other, i32x4.extract_lane(b, 1));
    }
    nearZero = <i32>(i64x2.extract_lane(near, 0) + i64x2.extract_lane(near, 1));
    for (let k = 0; k < bins; k++) store<i32>(counts + (<usize>k << 2), load<i32>(counts + (<usize>k << 2)) + load<i32>(other + (<usize>k << 2)));
  }
  if (allFinite) {
    if (!(width > 0)) store<i32>(counts, n);
    for (; i < n; i++) {
      const v = <f64>f32at(x, i);
      nearZero += i32(Math.abs(v) <= small);
      const d = v - mean;
      sq += d * d;
      if (width > 0) bump(counts, <i32>Math.min(last, (v - min) / width));
    }
  } else {
    for (; i < n; i++) {
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
 * finite value as 0). The rounding is JS's Math.round: halves go up.
 */
export function quantize_maps(x: usize, per: i32, c: i32, count: i32, q: usize, scales: usize): void {
  for (let e = 0; e < count; e++) {
    const base = e * per;
    const max = scales + (<usize>(e * c) << 3);
    memory.fill(max, 0, <usize>c << 3);
    for (let p = 0; p < per; p += c) {
      for (let k = 0; k < c; k++) {
        const a = Math.abs(<f64>f32at(x, base + p + k));
        const at = max + (<usize>k << 3);
        if (a - a == 0 && a > load<f64>(at)) store<f64>(at, a);
      }
    }
    for (let p = 0; p < per; p += c) {
      for (let k = 0; k < c; k++) {
        const m = load<f64>(max + (<usize>k << 3));
        const v = <f64>f32at(x, base + p + k);
        let b: i32 = 0;
        if (m > 0) {
          if (v - v == 0) {
            const t = (v / m) * 127;
            const f = Math.floor(t);
            b = <i32>(t - f >= 0.5 ? f + 1 : f);
          } else b = v > 0 ? 127 : -127;
        }
        store<i8>(q + <usize>(base + p + k), <i8>b);
      }
    }
  }
}
