// im2col (written transposed) and its adjoint col2im for NHWC convolutions: n = (b, oh, ow) indexes
// output positions, k = (kh, kw, c) the kernel window. Both loops stream through memory. The SIMD
// module (simd/loops.ts) has the same loops; these are the reference the tests switch to.
import type { backend_util } from '@tensorflow/tfjs-core';

/** The geometry of an NHWC convolution, in the argument order of simd/loops.ts:
 *  B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left. */
export function convDims(i: backend_util.Conv2DInfo): [number, number, number, number, number, number, number, number, number, number, number, number, number, number] {
  return [i.batchSize, i.inHeight, i.inWidth, i.inChannels, i.outHeight, i.outWidth, i.filterHeight, i.filterWidth,
    i.strideHeight, i.strideWidth, i.dilationHeight, i.dilationWidth, i.padInfo.top, i.padInfo.left];
}

/** im2col transposed, [k, n], written row by row so that every write is sequential (the
 *  input's filter gradient needs colsᵀ, and a separate transpose of a tall matrix costs more). */
export function im2colTransposed(x: Float32Array, colsT: Float32Array, info: backend_util.Conv2DInfo): void {
  const [B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left] = convDims(info);
  const N = B * OH * OW;
  const rowStep = SW * C;
  for (let kh = 0; kh < KH; kh++) {
    for (let kw = 0; kw < KW; kw++) {
      // Output columns whose input column iw = ow*SW + kw*DW - left falls inside the image.
      const owStart = Math.max(0, Math.ceil((left - kw * DW) / SW));
      const owEnd = Math.min(OW, Math.floor((W - 1 + left - kw * DW) / SW) + 1);
      for (let c = 0; c < C; c++) {
        const k = (kh * KW + kw) * C + c;
        let dst = k * N;
        for (let b = 0; b < B; b++) {
          for (let oh = 0; oh < OH; oh++, dst += OW) {
            const ih = oh * SH + kh * DH - top;
            if (ih < 0 || ih >= H || owStart >= owEnd) {
              colsT.fill(0, dst, dst + OW);
              continue;
            }
            // Typed-array fill costs a call even when empty: only the padded edges need it.
            if (owStart > 0) colsT.fill(0, dst, dst + owStart);
            if (owEnd < OW) colsT.fill(0, dst + owEnd, dst + OW);
            let src = ((b * H + ih) * W + owStart * SW + kw * DW - left) * C + c;
            for (let ow = owStart; ow < owEnd; ow++, src += rowStep) colsT[dst + ow] = x[src] as number;
          }
        }
      }
    }
  }
}

/** dx += every column entry at the input position it was read from (the adjoint of im2col). */
export function col2im(cols: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const [B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left] = convDims(info);
  const K = KH * KW * C;
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const row = ((b * OH + oh) * OW + ow) * K;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const dst = ((b * H + ih) * W + iw) * C;
            const src = row + (kh * KW + kw) * C;
            for (let c = 0; c < C; c++) dx[dst + c] = (dx[dst + c] as number) + (cols[src + c] as number);
          }
        }
      }
    }
  }
}
