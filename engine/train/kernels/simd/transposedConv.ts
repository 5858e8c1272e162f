// AssemblyScript: the input gradient of an NHWC convolution (Conv2DBackpropInput, a transposed
// convolution) read straight from dy, instead of the product dy·Wᵀ (a B*OH*OW x KH*KW*C matrix,
// 3.6 MB a batch of 64 for the bench CNN's second layer) followed by col2im adding it up.
// dx[b][ih][iw][c] = sum over taps (kh, kw) and f of dy[b][oh][ow][f] * w[kh][kw][c][f], where
// oh*SH + kh - top = ih and ow*SW + kw - left = iw. The same 4x8 register tiles as directConv.ts:
// four input positions of one row x 8 input channels, summed over every tap and output channel,
// so each element of dx is written once and nothing is cleared or added twice. C (input channels)
// must be a multiple of 8. No dilation: tfjs's gradient of a dilated conv2d is not defined.

// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline function px(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// Where position t of a tile reads its output channels for one tap: its row of dy when the tap
// lands on an output position (ow inside the image, t one of the tile's n positions), else F zeros.
// @ts-ignore: decorator
@inline function source(dyRow: usize, zeros: usize, ow: i32, t: i32, n: i32, OW: i32, F: i32): usize {
  return t < n && <u32>ow < <u32>OW ? px(dyRow, ow * F) : zeros;
}

// Input positions iw0, iw0+SW, iw0+2*SW, iw0+3*SW of row ih (the first n of them real; the others
// read zeros and write to sink) x channels j..j+7. Positions a stride apart share which taps reach
// them, so a tap is skipped for the whole tile or taken by each position whose output is inside.
function inputTile4(dy: usize, wt: usize, zeros: usize, sink: usize, dxRow: usize, b: i32, ih: i32, iw0: i32, n: i32,
  C: i32, OH: i32, OW: i32, F: i32, KH: i32, KW: i32, SH: i32, SW: i32, top: i32, left: i32, j: i32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const wStep = <usize>C << 2;
  for (let kh = 0; kh < KH; kh++) {
    const ohs = ih + top - kh;
    if (ohs < 0) break; // larger kh only moves further up
    if (SH != 1 && ohs % SH != 0) continue;
    const oh = ohs / SH;
    if (oh >= OH) continue;
    const dyRow = px(dy, (b * OH + oh) * OW * F);
    for (let kw = 0; kw < KW; kw++) {
      const ows = iw0 + left - kw;
      if (SW != 1 && ows % SW != 0) continue;
      const ow = ows / SW; // exact (also when negative), so position t lands on ow + t
      if (ow >= OW || ow + n <= 0) continue;
      let a0 = source(dyRow, zeros, ow, 0, n, OW, F), a1 = source(dyRow, zeros, ow + 1, 1, n, OW, F);
      let a2 = source(dyRow, zeros, ow + 2, 2, n, OW, F), a3 = source(dyRow, zeros, ow + 3, 3, n, OW, F);
      let wp = px(wt, (kh * KW + kw) * F * C + j);
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
    }
  }
  const step = SW * C;
  const o0 = px(dxRow, iw0 * C + j);
  const o1 = n > 1 ? o0 + (<usize>step << 2) : sink;
  const o2 = n > 2 ? o0 + (<usize>(2 * step) << 2) : sink;
  const o3 = n > 3 ? o0 + (<usize>(3 * step) << 2) : sink;
  v128.store(o0, c00); v128.store(o0, c01, 16);
  v128.store(o1, c10); v128.store(o1, c11, 16);
  v128.store(o2, c20); v128.store(o2, c21, 16);
  v128.store(o3, c30); v128.store(o3, c31, 16);
}

// dx [B][H][W][C] from dy [B][OH][OW][F] and w [KH][KW][C][F]; every element of dx is written.
// scratch: KH*KW*F*C + F + 8 floats, the caller's: the filter transposed to [KH][KW][F][C] (a vector
// of 8 input channels per output channel), F zeros for the taps outside dy, a sink for the
// positions a last partial tile does not have.
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
  for (let b = 0; b < B; b++) {
    for (let ih = 0; ih < H; ih++) {
      const dxRow = px(dx, (b * H + ih) * W * C);
      for (let phase = 0; phase < SW && phase < W; phase++) {
        const count = (W - phase + SW - 1) / SW; // positions phase, phase+SW, ... of the row
        for (let t = 0; t < count; t += 4) {
          const n = min(4, count - t);
          for (let j = 0; j < C; j += 8) {
            inputTile4(dy, scratch, zeros, sink, dxRow, b, ih, phase + t * SW, n, C, OH, OW, F, KH, KW, SH, SW, top, left, j);
          }
        }
      }
    }
  }
}
