// Conv2DBackpropInput for the wasm backend, replacing the shipped scalar loop. Input channels a
// multiple of 8: our direct transposed convolution reads dy in place (simd/transposedConv.ts), no
// product matrix and no col2im. Otherwise dx = col2im(dy · Wᵀ), the product on the backend's fast
// matmul path, col2im a streaming loop.
import { backend_util, Conv2DBackpropInput, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import { nhwcOnly, type ConvAttrs } from './conv2dBackpropFilter';
import { directConvEnabled } from './conv2dDirect';
import { simd } from './simdLoops';
import { col2im, convDims } from './im2col';
import { callWasmKernel, dispose, f32, ptr, type WasmBackend } from './wasmHeap';

/** Whether the direct input gradient takes this filter ([KH, KW, C, F]): measured faster than the
 *  product and col2im on the bench CNN's layers and 'same' convolutions (`npm run bench:gemm`). */
export function directInputFits(filterShape: number[]): boolean {
  return (filterShape[2] as number) % 8 === 0 && simd() !== undefined && directConvEnabled() && directInputOn;
}

let directInputOn = true;
/** For the bench timing whole training steps with and without it (`npm run bench -- --cpu --input-grad`). */
export function setDirectInput(on: boolean): void {
  directInputOn = on;
}

function conv2dBackpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: ConvAttrs & { inputShape: [number, number, number, number] } }): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  nhwcOnly(attrs.dataFormat, 'Conv2DBackpropInput');
  const info = backend_util.computeConv2DInfo(attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
  const loops = simd();
  if (loops && directInputFits(filter.shape)) {
    const dx = backend.makeOutput(attrs.inputShape, 'float32');
    if (info.inChannels * info.inHeight * info.inWidth * info.batchSize === 0) return dx;
    const [B, H, W, C, OH, OW, KH, KW, SH, SW, , , top, left] = convDims(info);
    const F = info.outChannels;
    // The filter transposed to [KH][KW][F][C], F zeros, a sink of 8 (simd/transposedConv.ts).
    const scratch = backend.makeOutput([KH * KW * F * C + F + 8], 'float32');
    loops.conv2d_input_direct(ptr(backend, dy), ptr(backend, filter), ptr(backend, dx), ptr(backend, scratch), B, H, W, C, OH, OW, F, KH, KW, SH, SW, top, left);
    dispose(backend, scratch);
    return dx;
  }
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const N = info.batchSize * info.outHeight * info.outWidth;
  const dy3 = { dataId: dy.dataId, shape: [1, N, info.outChannels], dtype: 'float32' as const };
  const w3 = { dataId: filter.dataId, shape: [1, K, info.outChannels], dtype: 'float32' as const };
  const cols = callWasmKernel('BatchMatMul', backend, { a: dy3, b: w3 }, { transposeA: false, transposeB: true });
  const dx = backend.makeOutput(attrs.inputShape, 'float32');
  if (loops) {
    f32(backend, dx).fill(0);
    loops.col2im(ptr(backend, cols), ptr(backend, dx), ...convDims(info));
  } else col2im(f32(backend, cols), f32(backend, dx), info);
  dispose(backend, cols);
  return dx;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInput as unknown as KernelConfig['kernelFunc'],
};
