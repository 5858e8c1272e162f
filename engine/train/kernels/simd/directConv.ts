// AssemblyScript: NHWC convolution and its filter gradient as matrix products read straight from
// the input ("implicit im2col"): the same 4x8 register tiles as gemm.ts, but the rows of the
// patch matrix are addressed in the input itself, so no im2col matrix is written and read back
// (for the bench CNN's second layer that matrix is 2.2 MB a batch of 64). F (output channels)
// must be a multiple of 8; the filter gradient also needs C (input channels) a multiple of 4.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function px(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// Four output positions (whole windows inside the image; o0..o3: the offsets of their windows'
// first input) x 8 channels. kRow: the offset from one kernel row to the next in the input.
function forwardTile4(x: usize, w: usize, out: usize, o0: i32, o1: i32, o2: i32, o3: i32, kRow: i32, C: i32, F: i32,
  KH: i32, KW: i32, DW: i32, j: i32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const run = DW == 1 ? KW * C : C; // inputs contiguous in one tap row (a whole kernel row when undilated)
  const taps = DW == 1 ? 1 : KW;
  const bStep = <usize>F << 2;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < taps; kw++) {
      const d = kh * kRow + kw * DW * C;
      let a0 = px(x, o0 + d), a1 = px(x, o1 + d), a2 = px(x, o2 + d), a3 = px(x, o3 + d);
      let b = px(w, ((kh * KW + kw) * C) * F + j);
      for (let t = 0; t < run; t++) {
        const b0 = v128.load(b), b1 = v128.load(b, 16);
        let v = v128.load32_splat(a0);
        c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
        v = v128.load32_splat(a1);
        c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
        v = v128.load32_splat(a2);
        c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
        v = v128.load32_splat(a3);
        c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
        a0 += 4; a1 += 4; a2 += 4; a3 += 4; b += bStep;
      }
    }
  }
  const o = px(out, j), row = <usize>F << 2;
  v128.store(o, c00); v128.store(o, c01, 16);
  v128.store(o + row, c10); v128.store(o + row, c11, 16);
  v128.store(o + 2 * row, c20); v128.store(o + 2 * row, c21, 16);
  v128.store(o + 3 * row, c30); v128.store(o + 3 * row, c31, 16);
}

// One output position x 8 channels, skipping the taps that fall in the padding.
function forwardTile1(x: usize, w: usize, out: usize, b: i32, ih0: i32, iw0: i32, H: i32, W: i32, C: i32, F: i32,
  KH: i32, KW: i32, DH: i32, DW: i32, j: i32): void {
  let c0 = f32x4.splat(0), c1 = c0;
  for (let kh = 0; kh < KH; kh++) {
    const ih = ih0 + kh * DH;
    if (ih < 0 || ih >= H) continue;
    for (let kw = 0; kw < KW; kw++) {
      const iw = iw0 + kw * DW;
      if (iw < 0 || iw >= W) continue;
      let a = px(x, ((b * H + ih) * W + iw) * C);
      let wp = px(w, ((kh * KW + kw) * C) * F + j);
      for (let c = 0; c < C; c++) {
        const v = v128.load32_splat(a);
        c0 = madd(v, v128.load(wp), c0);
        c1 = madd(v, v128.load(wp, 16), c1);
        a += 4; wp += <usize>F << 2;
      }
    }
  }
  const o = px(out, j);
  v128.store(o, c0); v128.store(o, c1, 16);
}

// out[b][oh][ow][f] = sum over the window of x * w, w as [KH][KW][C][F]; every output is written.
export function conv2d_direct(x: usize, w: usize, out: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, F: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32): void {
  const kRow = DH * W * C;
  if (top == 0 && left == 0 && (OH - 1) * SH + (KH - 1) * DH < H && (OW - 1) * SW + (KW - 1) * DW < W) {
    // No padding: every window is inside, so tiles take any four consecutive positions, across rows.
    const N = B * OH * OW;
    let b = 0, oh = 0, ow = 0, n = 0;
    for (; n + 4 <= N; n += 4) {
      const o0 = ((b * H + oh * SH) * W + ow * SW) * C;
      ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
      const o1 = ((b * H + oh * SH) * W + ow * SW) * C;
      ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
      const o2 = ((b * H + oh * SH) * W + ow * SW) * C;
      ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
      const o3 = ((b * H + oh * SH) * W + ow * SW) * C;
      ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
      const o = px(out, n * F);
      for (let j = 0; j < F; j += 8) forwardTile4(x, w, o, o0, o1, o2, o3, kRow, C, F, KH, KW, DW, j);
    }
    for (; n < N; n++) {
      const o = px(out, n * F);
      for (let j = 0; j < F; j += 8) forwardTile1(x, w, o, b, oh * SH, ow * SW, H, W, C, F, KH, KW, DH, DW, j);
      ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
    }
    return;
  }
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih0 = oh * SH - top;
      const rowInside = ih0 >= 0 && ih0 + (KH - 1) * DH < H;
      let ow = 0;
      while (ow < OW) {
        const iw0 = ow * SW - left;
        const o = px(out, ((b * OH + oh) * OW + ow) * F);
        if (rowInside && ow + 4 <= OW && iw0 >= 0 && iw0 + 3 * SW + (KW - 1) * DW < W) {
          const o0 = ((b * H + ih0) * W + iw0) * C, step = SW * C;
          for (let j = 0; j < F; j += 8) forwardTile4(x, w, o, o0, o0 + step, o0 + 2 * step, o0 + 3 * step, kRow, C, F, KH, KW, DW, j);
          ow += 4;
        } else {
          for (let j = 0; j < F; j += 8) forwardTile1(x, w, o, b, ih0, iw0, H, W, C, F, KH, KW, DH, DW, j);
          ow++;
        }
      }
    }
  }
}

// dw[kh][kw][c..c+3][j..j+7] = sum over output positions of x at the tap * dy, padding skipped.
// Images b0..b1-1 only: the sums so far are read back from dw unless b0 is 0 (the same additions in
// the same order as one pass over every image).
function filterTile(x: usize, dy: usize, dw: usize, b0: i32, b1: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, F: i32,
  KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32, kh: i32, kw: i32, c: i32, j: i32): void {
  const o = px(dw, ((kh * KW + kw) * C + c) * F + j), row = <usize>F << 2;
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  if (b0 > 0) {
    c00 = v128.load(o); c01 = v128.load(o, 16);
    c10 = v128.load(o + row); c11 = v128.load(o + row, 16);
    c20 = v128.load(o + 2 * row); c21 = v128.load(o + 2 * row, 16);
    c30 = v128.load(o + 3 * row); c31 = v128.load(o + 3 * row, 16);
  }
  // Output columns whose input column falls inside the image.
  let lo = 0;
  while (lo < OW && lo * SW + kw * DW - left < 0) lo++;
  let hi = OW;
  while (hi > lo && (hi - 1) * SW + kw * DW - left >= W) hi--;
  const aStep = <usize>(SW * C) << 2, gStep = <usize>F << 2;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const ih = oh * SH + kh * DH - top;
      if (ih < 0 || ih >= H) continue;
      let a = px(x, ((b * H + ih) * W + lo * SW + kw * DW - left) * C + c);
      let g = px(dy, ((b * OH + oh) * OW + lo) * F + j);
      for (let ow = lo; ow < hi; ow++) {
        const g0 = v128.load(g), g1 = v128.load(g, 16);
        let v = v128.load32_splat(a);
        c00 = madd(v, g0, c00); c01 = madd(v, g1, c01);
        v = v128.load32_splat(a, 4);
        c10 = madd(v, g0, c10); c11 = madd(v, g1, c11);
        v = v128.load32_splat(a, 8);
        c20 = madd(v, g0, c20); c21 = madd(v, g1, c21);
        v = v128.load32_splat(a, 12);
        c30 = madd(v, g0, c30); c31 = madd(v, g1, c31);
        a += aStep; g += gStep;
      }
    }
  }
  v128.store(o, c00); v128.store(o, c01, 16);
  v128.store(o + row, c10); v128.store(o + row, c11, 16);
  v128.store(o + 2 * row, c20); v128.store(o + 2 * row, c21, 16);
  v128.store(o + 3 * row, c30); v128.store(o + 3 * row, c31, 16);
}

// The filter gradient dw [KH][KW][C][F] of conv2d_direct; every element is written. A few images at
// a time, so that their dy and x stay in L1 while every tile reads them (each tile reads all of dy:
// 495 KB a batch of 64 for the bench CNN's second layer, read again from L2 by each of 36 tiles).
export function conv2d_filter_direct(x: usize, dy: usize, dw: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, F: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32): void {
  const perImage = (OH * OW * F + H * W * C) << 2;
  const images = max(1, min(B, 24576 / max(1, perImage))); // about half of a 48 KB L1
  for (let b0 = 0; b0 < B; b0 += images) {
    const b1 = min(B, b0 + images);
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        for (let c = 0; c < C; c += 4) {
          for (let j = 0; j < F; j += 8) filterTile(x, dy, dw, b0, b1, H, W, C, OH, OW, F, KW, SH, SW, DH, DW, top, left, kh, kw, c, j);
        }
      }
    }
  }
}
