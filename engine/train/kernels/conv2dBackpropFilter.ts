// Conv2DBackpropFilter for the wasm backend, which ships without it (so conv layers could not train
// on wasm). Input channels a multiple of 4 and output channels of 8: our direct kernel reads the
// input windows in place (simd/directConv.ts). Otherwise dW = im2col(x)ᵀ · dy, with the columns
// written already transposed, through BatchMatMul.
import { backend_util, Conv2DBackpropFilter, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { convDims, im2colTransposed } from './im2col';
import { directConvFits } from './conv2dDirect';
import { simd } from './simdLoops';
import { callWasmKernel, dispose, f32, ptr, type WasmBackend } from './wasmHeap';

export interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function nhwcOnly(format: string, kernel: string): void {
  if (format === 'NCHW') throw new Error(`${kernel} on wasm supports NHWC (channelsLast) only.`);
}

function conv2dBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & { filterShape: [number, number, number, number] } }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  nhwcOnly(attrs.dataFormat, 'Conv2DBackpropFilter');
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const loops = simd();
  if (loops && info.inChannels % 4 === 0 && directConvFits(attrs.filterShape, attrs.dataFormat)) {
    // Straight from the input, no im2col matrix (simd/directConv.ts); every element is written.
    const dw = backend.makeOutput(attrs.filterShape, 'float32');
    const [B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left] = convDims(info);
    if (B * OH * OW > 0) loops.conv2d_filter_direct(ptr(backend, x), ptr(backend, dy), ptr(backend, dw), B, H, W, C, OH, OW, info.outChannels, KH, KW, SH, SW, DH, DW, top, left);
    else f32(backend, dw).fill(0);
    return dw;
  }
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const N = info.batchSize * info.outHeight * info.outWidth;
  const cols = backend.makeOutput([1, K, N], 'float32');
  if (loops) {
    f32(backend, cols).fill(0);
    loops.im2col_t(ptr(backend, x), ptr(backend, cols), ...convDims(info));
  } else im2colTransposed(f32(backend, x), f32(backend, cols), info);
  const dy3 = { dataId: dy.dataId, shape: [1, N, info.outChannels], dtype: 'float32' as const };
  const product = callWasmKernel('BatchMatMul', backend, { a: cols, b: dy3 }, { transposeA: false, transposeB: false });
  dispose(backend, cols);
  // The product's memory already holds [kh, kw, ci, co] in order: hand it over with the filter's shape.
  return { dataId: product.dataId, shape: attrs.filterShape, dtype: 'float32' };
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelConfig['kernelFunc'],
};
