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
// equal to its window's maximum y takes the gradient g. The caller clears dx and `taken`
// (B*OH*OW*C bytes of scratch).
__attribute__((export_name("maxpool_grad_tiled")))
void maxpool_grad_tiled(const float *x, const float *y, const float *g, float *dx, u8 *taken,
                        int B, int H, int W, int C, int OH, int OW, int KH, int KW) {
  for (int b = 0; b < B; b++) {
    for (int oh = 0; oh < OH; oh++) {
      for (int kh = 0; kh < KH; kh++) {
        const float *xr = x + ((long)(b * H + oh * KH + kh) * W) * C;
        float *dr = dx + ((long)(b * H + oh * KH + kh) * W) * C;
        for (int ow = 0; ow < OW; ow++) {
          const long o = ((long)(b * OH + oh) * OW + ow) * C;
          for (int kw = 0; kw < KW; kw++) {
            const long i = (long)(ow * KW + kw) * C;
            for (int c = 0; c < C; c++) {
              if (!taken[o + c] && xr[i + c] == y[o + c]) {
                dr[i + c] = g[o + c];
                taken[o + c] = 1;
              }
            }
          }
        }
      }
    }
  }
}
