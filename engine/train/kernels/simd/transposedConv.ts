// AssemblyScript: the input gradient of an NHWC convolution (Conv2DBackpropInput, a transposed
// convolution) without the product dy·Wᵀ (a B*OH*OW x KH*KW*C matrix, 3.6 MB a batch of 64 for
// the bench CNN's second layer) written out and read back by col2im. The same 4x8 register tiles
// as gemm.ts: four output positions of dy (consecutive, across rows) x 8 input channels, summed
// over the F output channels for one tap, then added straight into dx where that tap lands.
// Scattering from dy rather than gathering into dx: every multiply-add counts (a gather tile
// spends a third of its work on taps that fall outside dy at the image borders), at the price of
// a load and an add per stored vector.
// dx[b][oh*SH + kh - top][ow*SW + kw - left][c] += dy[b][oh][ow][f] * w[kh][kw][c][f].
// C (input channels) must be a multiple of 8. No dilation: tfjs has no gradient of a dilated conv2d.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function px(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// Adds two vectors of accumulated gradient to dx at p (channels j..j+7 already in p).
// @ts-ignore: decorator
@inline function addTo(p: usize, lo: v128, hi: v128): void {
  v128.store(p, f32x4.add(v128.load(p), lo));
  v128.store(p, f32x4.add(v128.load(p, 16), hi), 16);
}

// Where a position's gradient for one tap goes: its input position in dx (row ih, column iw, at
// channel j), or the sink when that falls in the padding or the position is not one of the tile's.
// @ts-ignore: decorator
@inline function target(dx: usize, sink: usize, real: bool, b: i32, ih: i32, iw: i32, H: i32, W: i32, C: i32, j: i32): usize {
  return real && <u32>ih < <u32>H && <u32>iw < <u32>W ? px(dx, ((b * H + ih) * W + iw) * C + j) : sink;
}

// @ts-ignore: decorator
@inline function windowInside(ih: i32, iw: i32, H: i32, W: i32, KH: i32, KW: i32): bool {
  return ih >= 0 && ih + KH <= H && iw >= 0 && iw + KW <= W;
}

// The F gradients of four positions (a0..a3: their rows of dy, or zeros) times the transposed
// filter of one tap (wp: [F][C] at channel j), as 4x8 accumulators added to o0..o3.
// @ts-ignore: decorator
@inline function tapTile(a0: usize, a1: usize, a2: usize, a3: usize, wp: usize, wStep: usize, F: i32,
  o0: usize, o1: usize, o2: usize, o3: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let f = 0; f < F; f++) {
    const b0 = v128.load(wp), b1 = v128.load(wp, 16);
    let v = v128.load32_splat(a0);
    c00 = madd(v, b0, c00); c01 = madd(v, b1, c01);
    v = v128.load32_splat(a1);
    c10 = madd(v, b0, c10); c11 = madd(v, b1, c11);
    v = v128.load32_splat(a2);
    c20 = madd(v, b0, c20); c21 = madd(v, b1, c21);
    v = v128.load32_splat(a3);
    c30 = madd(v, b0, c30); c31 = madd(v, b1, c31);
    a0 += 4; a1 += 4; a2 += 4; a3 += 4; wp += wStep;
  }
  // The four targets are distinct input positions (or the sink), added one after the other.
  addTo(o0, c00, c01); addTo(o1, c10, c11); addTo(o2, c20, c21); addTo(o3, c30, c31);
}

// dx [B][H][W][C] from dy [B][OH][OW][F] and w [KH][KW][C][F]; dx is cleared here, then every
// element is the sum of the taps that reach it. scratch: KH*KW*F*C + F + 8 floats, the caller's:
// the filter transposed to [KH][KW][F][C] (a vector of 8 input channels per output channel), F
// zeros read by the positions a last partial tile does not have, a sink for what lands outside dx.
export function conv2d_input_direct(dy: usize, w: usize, dx: usize, scratch: usize, B: i32, H: i32, W: i32, C: i32,
  OH: i32, OW: i32, F: i32, KH: i32, KW: i32, SH: i32, SW: i32, top: i32, left: i32): void {
  const taps = KH * KW;
  for (let k = 0; k < taps; k++) {
    for (let c = 0; c < C; c++) {
      for (let f = 0; f < F; f++) store<f32>(px(scratch, (k * F + f) * C + c), load<f32>(px(w, (k * C + c) * F + f)));
    }
  }
  const zeros = px(scratch, taps * F * C), sink = px(zeros, F);
  for (let f = 0; f < F; f++) store<f32>(px(zeros, f), 0);
  const size = B * H * W * C;
  for (let i = 0; i < size; i += 4) v128.store(px(dx, i), f32x4.splat(0));

  const wStep = <usize>C << 2, N = B * OH * OW;
  let b = 0, oh = 0, ow = 0;
  for (let n = 0; n < N; n += 4) {
    const count = min(4, N - n);
    // The tile's positions: batch, top-left input corner of the window, row of dy (or zeros).
    const b0 = b, h0 = oh * SH - top, w0 = ow * SW - left;
    ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
    const b1 = b, h1 = oh * SH - top, w1 = ow * SW - left;
    ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
    const b2 = b, h2 = oh * SH - top, w2 = ow * SW - left;
    ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
    const b3 = b, h3 = oh * SH - top, w3 = ow * SW - left;
    ow++; if (ow == OW) { ow = 0; oh++; if (oh == OH) { oh = 0; b++; } }
    // Every tap of the four positions lands inside dx (with padding, all but the border tiles).
    const inside = count == 4 && windowInside(h0, w0, H, W, KH, KW) && windowInside(h1, w1, H, W, KH, KW) &&
      windowInside(h2, w2, H, W, KH, KW) && windowInside(h3, w3, H, W, KH, KW);
    const a0 = px(dy, n * F);
    const a1 = count > 1 ? px(a0, F) : zeros, a2 = count > 2 ? px(a0, 2 * F) : zeros, a3 = count > 3 ? px(a0, 3 * F) : zeros;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const wt = px(scratch, (kh * KW + kw) * F * C);
        for (let j = 0; j < C; j += 8) {
          let o0: usize, o1: usize, o2: usize, o3: usize;
          if (inside) {
            o0 = px(dx, ((b0 * H + h0 + kh) * W + w0 + kw) * C + j);
            o1 = px(dx, ((b1 * H + h1 + kh) * W + w1 + kw) * C + j);
            o2 = px(dx, ((b2 * H + h2 + kh) * W + w2 + kw) * C + j);
            o3 = px(dx, ((b3 * H + h3 + kh) * W + w3 + kw) * C + j);
          } else {
            o0 = target(dx, sink, true, b0, h0 + kh, w0 + kw, H, W, C, j);
            o1 = target(dx, sink, count > 1, b1, h1 + kh, w1 + kw, H, W, C, j);
            o2 = target(dx, sink, count > 2, b2, h2 + kh, w2 + kw, H, W, C, j);
            o3 = target(dx, sink, count > 3, b3, h3 + kh, w3 + kw, H, W, C, j);
          }
          tapTile(a0, a1, a2, a3, px(wt, j), wStep, F, o0, o1, o2, o3);
        }
      }
    }
  }
}
