// Conv2DBackpropFilter for the wasm backend, which ships without it (so conv layers could not train
// on wasm). dW = im2col(x)ᵀ · dy: the columns are written already transposed, [kh·kw·ci, n], so the
// product runs on the backend's own fast (XNNPACK) matmul with no transposed operand.
import { backend_util, Conv2DBackpropFilter, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { callWasmKernel, dispose, f32, type WasmBackend } from './wasmHeap';

interface Attrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Attrs }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter on wasm supports NHWC (channelsLast) only.');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast',
  );
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO,
    filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const K = KH * KW * C;
  const N = B * OH * OW;

  const cols = backend.makeOutput([1, K, N], 'float32');
  const colsData = f32(backend, cols);
  const xData = f32(backend, x);
  colsData.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const n = (b * OH + oh) * OW + ow;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            const src = ((b * H + ih) * W + iw) * C;
            let dst = (kh * KW + kw) * C * N + n;
            for (let c = 0; c < C; c++, dst += N) colsData[dst] = xData[src + c] as number;
          }
        }
      }
    }
  }
  const dy3 = { dataId: dy.dataId, shape: [1, N, CO], dtype: 'float32' as const };
  const product = callWasmKernel('BatchMatMul', backend, { a: cols, b: dy3 }, { transposeA: false, transposeB: false });
  dispose(backend, cols);
  // Same memory, the filter's shape: hand the product over as the output.
  return { dataId: product.dataId, shape: [KH, KW, C, CO], dtype: 'float32' };
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
