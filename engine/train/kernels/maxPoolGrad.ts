// MaxPoolGrad for the wasm backend, replacing the shipped scalar kernel: each output cell routes its
// gradient to the first maximum of its window (the cpu backend's rule); padding never wins. Channels
// are innermost in NHWC, so the window scan keeps one running maximum per channel and streams memory.
import { backend_util, MaxPoolGrad, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { simd } from './simdLoops';
import { f32, ptr, type WasmBackend } from './wasmHeap';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs: { dy, input, output }, backend, attrs } = args;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const dx = backend.makeOutput(input.shape, 'float32');
  const out = f32(backend, dx);
  const x = f32(backend, input);
  const g = f32(backend, dy);
  if (SH === KH && SW === KW && top === 0 && left === 0) {
    const loops = simd();
    if (!loops) {
      out.fill(0);
      tiledPoolGrad(x, f32(backend, output), g, out, info);
      return dx;
    }
    // Writes every element of dx (the windows' and the rows and columns past them).
    loops.maxpool_grad_tiled(ptr(backend, input), ptr(backend, output), ptr(backend, dy), ptr(backend, dx), B, H, W, C, OH, OW, KH, KW);
    return dx;
  }
  out.fill(0);
  const best = new Float32Array(C);
  const at = new Int32Array(C);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.max(0, oh * SH - top);
      const h1 = Math.min(H, oh * SH - top + KH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = Math.max(0, ow * SW - left);
        const w1 = Math.min(W, ow * SW - left + KW);
        if (h0 >= h1 || w0 >= w1) continue;
        best.fill(-Infinity);
        at.fill(-1);
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) {
              const v = x[base + c] as number;
              if (v > (best[c] as number) || (at[c] as number) < 0) {
                best[c] = v;
                at[c] = base + c;
              }
            }
          }
        }
        const gRow = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          const i = at[c] as number;
          out[i] = (out[i] as number) + (g[gRow + c] as number);
        }
      }
    }
  }
  return dx;
}

/** Non-overlapping windows (stride = pool size, no padding: the usual 2x2/2 pool): every input lies
 *  in at most one window, so one streaming pass compares it with its window's maximum (the forward
 *  output) and gives the gradient to the first input that equals it. */
function tiledPoolGrad(x: Float32Array, y: Float32Array, g: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const taken = new Uint8Array(B * OH * OW * C);
  // Rows and columns past OH*KH / OW*KW were never read by the floor-rounded pool: no gradient.
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let kh = 0; kh < KH; kh++) {
        const rowBase = (b * H + oh * KH + kh) * W * C;
        for (let ow = 0; ow < OW; ow++) {
          const o = ((b * OH + oh) * OW + ow) * C;
          let i = rowBase + ow * KW * C;
          for (let kw = 0; kw < KW; kw++, i += C) {
            for (let c = 0; c < C; c++) {
              if (taken[o + c] === 0 && x[i + c] === y[o + c]) {
                dx[i + c] = g[o + c]!;
                taken[o + c] = 1;
              }
            }
          }
        }
      }
    }
  }
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelConfig['kernelFunc'],
};
