// The inner loops of Model Lab's training kernels, compiled to WebAssembly with SIMD128 by
// scripts/build-wasm.mjs (clang, wasm32). The module imports the tfjs wasm backend's memory, so
// every pointer here is a byte offset into the same heap the tensors live in. No libc, no globals,
// no stack: every function is a leaf whose locals stay in wasm locals, so the module never writes
// anywhere but the buffers it is given (the build checks that no stack pointer is used).
#include <wasm_simd128.h>

typedef unsigned char u8;

// im2col written transposed: cols[k][n], k = (kh, kw, c), n = (b, oh, ow); NHWC input. The caller
// clears cols: padded positions are skipped.
__attribute__((export_name("im2col_t")))
void im2col_t(const float *x, float *cols, int B, int H, int W, int C, int OH, int OW, int KH, int KW,
              int SH, int SW, int DH, int DW, int top, int left) {
  const int N = B * OH * OW;
  for (int kh = 0; kh < KH; kh++) {
    for (int kw = 0; kw < KW; kw++) {
      for (int c = 0; c < C; c++) {
        float *dst = cols + (long)((kh * KW + kw) * C + c) * N;
        for (int b = 0; b < B; b++) {
          for (int oh = 0; oh < OH; oh++, dst += OW) {
            const int ih = oh * SH + kh * DH - top;
            if (ih < 0 || ih >= H) continue; // the caller cleared cols
            const float *row = x + ((long)(b * H + ih) * W) * C + c;
            int ow = 0;
            if (SW == 1 && C == 1 && DW == 1) {
              // Contiguous source: copy four at a time where the window lies inside the image.
              while (ow < OW && ow + kw - left < 0) ow++;
              for (; ow + 4 <= OW && ow + 3 + kw - left < W; ow += 4) {
                wasm_v128_store(dst + ow, wasm_v128_load(row + ow + kw - left));
              }
            }
            for (; ow < OW; ow++) {
              const int iw = ow * SW + kw * DW - left;
              if (iw >= 0 && iw < W) dst[ow] = row[(long)iw * C];
            }
          }
        }
      }
    }
  }
}

// dx += col2im(cols), cols[n][k] with n = (b, oh, ow), k = (kh, kw, c). The caller clears dx (a JS
// fill is a native memset; clang would turn a zeroing loop into a call to memset, which we lack).
__attribute__((export_name("col2im")))
void col2im(const float *cols, float *dx, int B, int H, int W, int C, int OH, int OW, int KH, int KW,
            int SH, int SW, int DH, int DW, int top, int left) {
  const int K = KH * KW * C;
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const float *src = cols + ((long)(b * OH + oh) * OW + ow) * K;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            float *d = dx + ((long)(b * H + ih) * W + iw) * C;
            const float *s = src + (kh * KW + kw) * C;
            int c = 0;
            for (; c + 4 <= C; c += 4) wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), wasm_v128_load(s + c)));
            for (; c < C; c++) d[c] += s[c];
          }
        }
      }
    }
  }
}

// Max-pool gradient for non-overlapping windows (stride = pool size, no padding): the first input
// equal to its window's maximum y takes the gradient g, every other input of the window gets 0.
// Four channels at a time: a lane mask remembers which lanes' maximum was already found, so the
// loop has no branches and needs no scratch memory. The caller clears dx (rows and columns past
// OH*KH / OW*KW belong to no window).
__attribute__((export_name("maxpool_grad_tiled")))
void maxpool_grad_tiled(const float *x, const float *y, const float *g, float *dx,
                        int B, int H, int W, int C, int OH, int OW, int KH, int KW) {
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const long o = ((long)(b * OH + oh) * OW + ow) * C;
        const long corner = ((long)(b * H + oh * KH) * W + ow * KW) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          const v128_t y4 = wasm_v128_load(y + o + c), g4 = wasm_v128_load(g + o + c);
          v128_t taken = wasm_i32x4_splat(0);
          for (int kh = 0; kh < KH; kh++) {
            for (int kw = 0; kw < KW; kw++) {
              const long i = corner + ((long)kh * W + kw) * C + c;
              const v128_t first = wasm_v128_andnot(wasm_f32x4_eq(wasm_v128_load(x + i), y4), taken);
              wasm_v128_store(dx + i, wasm_v128_bitselect(g4, zero, first));
              taken = wasm_v128_or(taken, first);
            }
          }
        }
        for (; c < C; c++) {
          int found = 0;
          for (int kh = 0; kh < KH; kh++) {
            for (int kw = 0; kw < KW; kw++) {
              const long i = corner + ((long)kh * W + kw) * C + c;
              if (!found && x[i] == y[o + c]) {
                dx[i] = g[o + c];
                found = 1;
              }
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
__attribute__((export_name("depthwise_input")))
void depthwise_input(const float *dy, const float *f, float *dx, int B, int H, int W, int C, int OH, int OW,
                     int KH, int KW, int SH, int SW, int DH, int DW, int top, int left, int M) {
  const int CM = C * M;
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const float *g = dy + ((long)(b * OH + oh) * OW + ow) * CM;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            float *d = dx + ((long)(b * H + ih) * W + iw) * C;
            const float *w = f + (long)(kh * KW + kw) * CM;
            if (M == 1) {
              int c = 0;
              for (; c + 4 <= C; c += 4) {
                v128_t acc = wasm_f32x4_mul(wasm_v128_load(g + c), wasm_v128_load(w + c));
                wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), acc));
              }
              for (; c < C; c++) d[c] += g[c] * w[c];
            } else {
              for (int c = 0; c < C; c++) {
                float s = 0;
                for (int q = 0; q < M; q++) s += g[c * M + q] * w[c * M + q];
                d[c] += s;
              }
            }
          }
        }
      }
    }
  }
}

__attribute__((export_name("depthwise_filter")))
void depthwise_filter(const float *x, const float *dy, float *df, int B, int H, int W, int C, int OH, int OW,
                      int KH, int KW, int SH, int SW, int DH, int DW, int top, int left, int M) {
  const int CM = C * M;
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int ow = 0; ow < OW; ow++) {
        const float *g = dy + ((long)(b * OH + oh) * OW + ow) * CM;
        for (int kh = 0; kh < KH; kh++) {
          const int ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (int kw = 0; kw < KW; kw++) {
            const int iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const float *s = x + ((long)(b * H + ih) * W + iw) * C;
            float *d = df + (long)(kh * KW + kw) * CM;
            if (M == 1) {
              int c = 0;
              for (; c + 4 <= C; c += 4) {
                v128_t p = wasm_f32x4_mul(wasm_v128_load(s + c), wasm_v128_load(g + c));
                wasm_v128_store(d + c, wasm_f32x4_add(wasm_v128_load(d + c), p));
              }
              for (; c < C; c++) d[c] += s[c] * g[c];
            } else {
              for (int c = 0; c < C; c++) {
                for (int q = 0; q < M; q++) d[c * M + q] += s[c] * g[c * M + q];
              }
            }
          }
        }
      }
    }
  }
}

// out[r][c] = x[r][c] + bias[c] (the bias of a dense or conv layer, broadcast over rows).
__attribute__((export_name("bias_add")))
void bias_add(const float *x, const float *bias, float *out, int R, int C) {
  for (int r = 0; r < R; r++) {
    const float *xr = x + (long)r * C;
    float *o = out + (long)r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) wasm_v128_store(o + c, wasm_f32x4_add(wasm_v128_load(xr + c), wasm_v128_load(bias + c)));
    for (; c < C; c++) o[c] = xr[c] + bias[c];
  }
}

// out[c] = sum over rows of x[r][c] (the bias gradient). The caller clears out.
__attribute__((export_name("col_sum")))
void col_sum(const float *x, float *out, int R, int C) {
  for (int r = 0; r < R; r++) {
    const float *xr = x + (long)r * C;
    int c = 0;
    for (; c + 4 <= C; c += 4) wasm_v128_store(out + c, wasm_f32x4_add(wasm_v128_load(out + c), wasm_v128_load(xr + c)));
    for (; c < C; c++) out[c] += xr[c];
  }
}

// One Adam (decay = 0) or AdamW (decay = lr * weightDecay) step over a variable, in tfjs's order of
// float32 operations (see fusedSteps.ts's adamStep; SIMD128 has no fused multiply-add, and the build
// forbids contraction, so every operation rounds as tfjs's separate ops do). m and v are updated in
// place (they belong to the optimizer); the new weights go to out, never over w.
__attribute__((export_name("adam")))
void adam(const float *w, const float *g, float *m, float *v, float *out, int n, float b1, float b2, float omb1, float omb2,
          float eps, float a, float c1, float c2, float decay) {
  const v128_t B1 = wasm_f32x4_splat(b1), B2 = wasm_f32x4_splat(b2), O1 = wasm_f32x4_splat(omb1), O2 = wasm_f32x4_splat(omb2);
  const v128_t E = wasm_f32x4_splat(eps), A = wasm_f32x4_splat(a), C1 = wasm_f32x4_splat(c1), C2 = wasm_f32x4_splat(c2), D = wasm_f32x4_splat(decay);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_v128_load(g + i);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(m + i), B1), wasm_f32x4_mul(gi, O1));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(wasm_v128_load(v + i), B2), wasm_f32x4_mul(wasm_f32x4_mul(gi, gi), O2));
    wasm_v128_store(m + i, mi);
    wasm_v128_store(v + i, vi);
    v128_t wi = wasm_v128_load(w + i);
    if (decay > 0) wi = wasm_f32x4_sub(wi, wasm_f32x4_mul(wi, D));
    const v128_t den = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_div(vi, C2)), E);
    wasm_v128_store(out + i, wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_div(wasm_f32x4_div(mi, C1), den), A), wi));
  }
  for (; i < n; i++) {
    const float gi = g[i];
    const float mi = m[i] * b1 + gi * omb1;
    const float vi = v[i] * b2 + (gi * gi) * omb2;
    m[i] = mi;
    v[i] = vi;
    const float wi = decay > 0 ? w[i] - w[i] * decay : w[i];
    out[i] = ((mi / c1) / (__builtin_sqrtf(vi / c2) + eps)) * a + wi;
  }
}
