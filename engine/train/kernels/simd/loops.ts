// AssemblyScript, not TypeScript: the inner loops of Model Lab's training kernels, compiled to a
// WebAssembly module with SIMD128 by scripts/build-wasm.mjs (asc from npm, so a machine with only
// Node builds it). The module imports the tfjs wasm backend's memory: every pointer is a byte
// offset into the heap the tensors live in. No runtime, no globals, no stack, no data: every
// function is a leaf whose locals stay in wasm locals, so the module writes only the buffers it is
// given (the build refuses a module with a global or a data segment).
// The matrix products live in gemm.ts, directConv.ts and transposedConv.ts; this file holds the rest.

// @ts-ignore: decorator
@inline function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

// im2col written transposed: cols[k][n], k = (kh, kw, c), n = (b, oh, ow); NHWC input. The caller
// clears cols: padded positions are skipped.
export function im2col_t(x: usize, cols: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32): void {
  const N = B * OH * OW;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      for (let c = 0; c < C; c++) {
        let dst = at(cols, ((kh * KW + kw) * C + c) * N);
        for (let b = 0; b < B; b++) {
          for (let oh = 0; oh < OH; oh++, dst += <usize>OW << 2) {
            const ih = oh * SH + kh * DH - top;
            if (ih < 0 || ih >= H) continue; // the caller cleared cols
            const row = at(x, (b * H + ih) * W * C + c);
            let ow = 0;
            if (SW == 1 && C == 1 && DW == 1) {
              // Contiguous source: copy four at a time where the window lies inside the image.
              while (ow < OW && ow + kw - left < 0) ow++;
              for (; ow + 4 <= OW && ow + 3 + kw - left < W; ow += 4) {
                v128.store(at(dst, ow), v128.load(at(row, ow + kw - left)));
              }
            }
            for (; ow < OW; ow++) {
              const iw = ow * SW + kw * DW - left;
              if (iw >= 0 && iw < W) store<f32>(at(dst, ow), load<f32>(at(row, iw * C)));
            }
          }
        }
      }
    }
  }
}

// dx += col2im(cols), cols[n][k] with n = (b, oh, ow), k = (kh, kw, c). The caller clears dx.
export function col2im(cols: usize, dx: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, KH: i32, KW: i32,
  SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32): void {
  const K = KH * KW * C;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const src = at(cols, ((b * OH + oh) * OW + ow) * K);
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const d = at(dx, ((b * H + ih) * W + iw) * C);
            const s = at(src, (kh * KW + kw) * C);
            let c = 0;
            for (; c + 4 <= C; c += 4) v128.store(at(d, c), f32x4.add(v128.load(at(d, c)), v128.load(at(s, c))));
            for (; c < C; c++) store<f32>(at(d, c), load<f32>(at(d, c)) + load<f32>(at(s, c)));
          }
        }
      }
    }
  }
}

// Max-pool gradient for non-overlapping windows (stride = pool size, no padding): the first input
// equal to its window's maximum y takes the gradient g, every other input of the window gets 0.
// Four channels at a time: a lane mask remembers which lanes' maximum was already found, so the
// loop has no branches and needs no scratch memory. Every element of dx is written: the rows and
// columns past OH*KH / OW*KW (in no window) are cleared here, not the whole of dx beforehand.
export function maxpool_grad_tiled(x: usize, y: usize, g: usize, dx: usize,
  B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32, KH: i32, KW: i32): void {
  const zero = f32x4.splat(0);
  for (let b = 0; b < B; b++) {
    for (let ih = 0; ih < H; ih++) {
      const from = ih < OH * KH ? OW * KW : 0; // a row past the windows is cleared whole
      for (let i = ((b * H + ih) * W + from) * C, end = ((b * H + ih) * W + W) * C; i < end; i++) store<f32>(at(dx, i), 0);
    }
  }
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const o = ((b * OH + oh) * OW + ow) * C;
        const corner = ((b * H + oh * KH) * W + ow * KW) * C;
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          const y4 = v128.load(at(y, o + c)), g4 = v128.load(at(g, o + c));
          let taken = i32x4.splat(0);
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const i = corner + (kh * W + kw) * C + c;
              const first = v128.andnot(f32x4.eq(v128.load(at(x, i)), y4), taken);
              v128.store(at(dx, i), v128.bitselect(g4, zero, first));
              taken = v128.or(taken, first);
            }
          }
        }
        for (; c < C; c++) {
          let found = false;
          for (let kh = 0; kh < KH; kh++) {
            for (let kw = 0; kw < KW; kw++) {
              const i = corner + (kh * W + kw) * C + c;
              if (!found && load<f32>(at(x, i)) == load<f32>(at(y, o + c))) {
                store<f32>(at(dx, i), load<f32>(at(g, o + c)));
                found = true;
              } else store<f32>(at(dx, i), 0);
            }
          }
        }
      }
    }
  }
}

// Depthwise convolution gradients, NHWC, filter [KH][KW][C][M] (M outputs per input channel, output
// channel c*M+q). Both walk every output position and the window positions inside the image; the
// caller clears the output. With M = 1 the channel loops are contiguous and vectorise.
export function depthwise_input(dy: usize, f: usize, dx: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32, M: i32): void {
  const CM = C * M;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const g = at(dy, ((b * OH + oh) * OW + ow) * CM);
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const d = at(dx, ((b * H + ih) * W + iw) * C);
            const w = at(f, (kh * KW + kw) * CM);
            if (M == 1) {
              let c = 0;
              for (; c + 4 <= C; c += 4) {
                const acc = f32x4.mul(v128.load(at(g, c)), v128.load(at(w, c)));
                v128.store(at(d, c), f32x4.add(v128.load(at(d, c)), acc));
              }
              for (; c < C; c++) store<f32>(at(d, c), load<f32>(at(d, c)) + load<f32>(at(g, c)) * load<f32>(at(w, c)));
            } else {
              for (let c = 0; c < C; c++) {
                let s: f32 = 0;
                for (let q = 0; q < M; q++) s += load<f32>(at(g, c * M + q)) * load<f32>(at(w, c * M + q));
                store<f32>(at(d, c), load<f32>(at(d, c)) + s);
              }
            }
          }
        }
      }
    }
  }
}

export function depthwise_filter(x: usize, dy: usize, df: usize, B: i32, H: i32, W: i32, C: i32, OH: i32, OW: i32,
  KH: i32, KW: i32, SH: i32, SW: i32, DH: i32, DW: i32, top: i32, left: i32, M: i32): void {
  const CM = C * M;
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const g = at(dy, ((b * OH + oh) * OW + ow) * CM);
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const s = at(x, ((b * H + ih) * W + iw) * C);
            const d = at(df, (kh * KW + kw) * CM);
            if (M == 1) {
              let c = 0;
              for (; c + 4 <= C; c += 4) {
                const p = f32x4.mul(v128.load(at(s, c)), v128.load(at(g, c)));
                v128.store(at(d, c), f32x4.add(v128.load(at(d, c)), p));
              }
              for (; c < C; c++) store<f32>(at(d, c), load<f32>(at(d, c)) + load<f32>(at(s, c)) * load<f32>(at(g, c)));
            } else {
              for (let c = 0; c < C; c++) {
                const sc = load<f32>(at(s, c));
                for (let q = 0; q < M; q++) store<f32>(at(d, c * M + q), load<f32>(at(d, c * M + q)) + sc * load<f32>(at(g, c * M + q)));
              }
            }
          }
        }
      }
    }
  }
}

// out[r][c] = x[r][c] + bias[c] (the bias of a dense or conv layer, broadcast over rows).
export function bias_add(x: usize, bias: usize, out: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const xr = at(x, r * C), o = at(out, r * C);
    let c = 0;
    for (; c + 4 <= C; c += 4) v128.store(at(o, c), f32x4.add(v128.load(at(xr, c)), v128.load(at(bias, c))));
    for (; c < C; c++) store<f32>(at(o, c), load<f32>(at(xr, c)) + load<f32>(at(bias, c)));
  }
}

// out[c] = sum over rows of x[r][c] (the bias gradient); every element of out is written. Eight
// columns at a time in registers, two rows per step into separate sums: adding each row into out
// in memory made every row wait for the previous row's store (a CNN's bias has 8-16 channels over
// ~40k rows).
export function col_sum(x: usize, out: usize, R: i32, C: i32): void {
  const row = <usize>C << 2;
  let j = 0;
  for (; j + 8 <= C; j += 8) {
    let s0 = f32x4.splat(0), s1 = s0, t0 = s0, t1 = s0;
    let p = at(x, j), r = 0;
    for (; r + 2 <= R; r += 2, p += row << 1) {
      s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16));
      t0 = f32x4.add(t0, v128.load(p + row)); t1 = f32x4.add(t1, v128.load(p + row, 16));
    }
    if (r < R) { s0 = f32x4.add(s0, v128.load(p)); s1 = f32x4.add(s1, v128.load(p, 16)); }
    v128.store(at(out, j), f32x4.add(s0, t0));
    v128.store(at(out, j), f32x4.add(s1, t1), 16);
  }
  for (; j + 4 <= C; j += 4) {
    let s0 = f32x4.splat(0), t0 = s0;
    let p = at(x, j), r = 0;
    for (; r + 2 <= R; r += 2, p += row << 1) { s0 = f32x4.add(s0, v128.load(p)); t0 = f32x4.add(t0, v128.load(p + row)); }
    if (r < R) s0 = f32x4.add(s0, v128.load(p));
    v128.store(at(out, j), f32x4.add(s0, t0));
  }
  for (; j < C; j++) {
    let s: f32 = 0;
    for (let r = 0; r < R; r++) s += load<f32>(at(x, r * C + j));
    store<f32>(at(out, j), s);
  }
}

// One Adam (decay = 0) or AdamW (decay = lr * weightDecay) step over a variable, in tfjs's order of
// float32 operations (see fusedSteps.ts's adamStep): every multiply and add rounds on its own (never
// a fused multiply-add, not even in the relaxed build), as tfjs's separate ops do. m and v are
// updated in place (they belong to the optimizer); the new weights go to out, never over w.
export function adam(w: usize, g: usize, m: usize, v: usize, out: usize, n: i32, b1: f32, b2: f32, omb1: f32, omb2: f32,
  eps: f32, a: f32, c1: f32, c2: f32, decay: f32): void {
  const B1 = f32x4.splat(b1), B2 = f32x4.splat(b2), O1 = f32x4.splat(omb1), O2 = f32x4.splat(omb2);
  const E = f32x4.splat(eps), A = f32x4.splat(a), C1 = f32x4.splat(c1), C2 = f32x4.splat(c2), D = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const gi = v128.load(at(g, i));
    const mi = f32x4.add(f32x4.mul(v128.load(at(m, i)), B1), f32x4.mul(gi, O1));
    const vi = f32x4.add(f32x4.mul(v128.load(at(v, i)), B2), f32x4.mul(f32x4.mul(gi, gi), O2));
    v128.store(at(m, i), mi);
    v128.store(at(v, i), vi);
    let wi = v128.load(at(w, i));
    if (decay > 0) wi = f32x4.sub(wi, f32x4.mul(wi, D));
    const den = f32x4.add(f32x4.sqrt(f32x4.div(vi, C2)), E);
    v128.store(at(out, i), f32x4.add(f32x4.mul(f32x4.div(f32x4.div(mi, C1), den), A), wi));
  }
  for (; i < n; i++) {
    const gi = load<f32>(at(g, i));
    const mi = load<f32>(at(m, i)) * b1 + gi * omb1;
    const vi = load<f32>(at(v, i)) * b2 + (gi * gi) * omb2;
    store<f32>(at(m, i), mi);
    store<f32>(at(v, i), vi);
    const wi = decay > 0 ? load<f32>(at(w, i)) - load<f32>(at(w, i)) * decay : load<f32>(at(w, i));
    store<f32>(at(out, i), ((mi / c1) / (Mathf.sqrt(vi / c2) + eps)) * a + wi);
  }
}

export * from './gemm';
export * from './directConv';
export * from './transposedConv';
export * from './summaries';

// The ReLU gradient in one pass: dy where x > 0, else dy * 0 (so -0, or NaN for an infinite dy,
// exactly as tfjs's mul(dy, step(x))), NaN where x is NaN (step(NaN) is NaN).
export function relu_grad(dy: usize, x: usize, out: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const xv = v128.load(at(x, i)), g = v128.load(at(dy, i));
    const r = v128.bitselect(g, f32x4.mul(g, zero), f32x4.gt(xv, zero));
    v128.store(at(out, i), v128.bitselect(xv, r, f32x4.ne(xv, xv)));
  }
  for (; i < n; i++) {
    const xi = load<f32>(at(x, i)), g = load<f32>(at(dy, i));
    store<f32>(at(out, i), xi != xi ? xi : xi > 0 ? g : g * 0);
  }
}
