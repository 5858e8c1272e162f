// Conv2D on the wasm backend through our direct (implicit-im2col) kernel, simd/directConv.ts, where
// it measured faster than XNNPACK's convolution (`npm run bench:gemm`, the bench CNN's layers):
// NHWC, stride 1, output channels a multiple of 8. Everything else keeps the shipped kernel, with the explicit
// 'same' padding of samePadding.ts.
import { backend_util, Conv2D, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { convDims } from './im2col';
import { explicitSamePadding } from './samePadding';
import { simd } from './simdLoops';
import { ptr, type WasmBackend } from './wasmHeap';

interface Conv2DAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

/** Whether the direct kernel takes this convolution (the backend's own runs otherwise). */
export function directConvFits(filterShape: number[], dataFormat = 'NHWC'): boolean {
  return dataFormat === 'NHWC' && (filterShape[3] as number) % 8 === 0 && simd() !== undefined && directConvOn;
}

let directConvOn = true;
/** For the bench comparing the direct kernels with XNNPACK's convolution and the im2col paths. */
export function setDirectConv(on: boolean): void {
  directConvOn = on;
}
export const directConvEnabled = (): boolean => directConvOn;

export function conv2dConfig(shipped: KernelConfig): KernelConfig {
  const fallback = explicitSamePadding(shipped, false).kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Conv2DAttrs }) => {
    const { inputs: { x, filter }, backend, attrs } = args;
    const loops = simd();
    // Strided, XNNPACK's convolution measured faster (0.8-0.95x ours on a 'same' stride-2 layer, `npm run bench:gemm`).
    const strided = typeof attrs.strides === 'number' ? attrs.strides > 1 : attrs.strides.some((s) => s > 1);
    if (!loops || strided || !directConvFits(filter.shape, attrs.dataFormat)) return fallback(args as never);
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const out = backend.makeOutput(info.outShape, 'float32');
    if (info.outShape.some((d) => d === 0)) return out;
    const [B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left] = convDims(info);
    loops.conv2d_direct(ptr(backend, x), ptr(backend, filter), ptr(backend, out), B, H, W, C, OH, OW, info.outChannels, KH, KW, SH, SW, DH, DW, top, left);
    return out;
  };
  return { ...shipped, kernelName: Conv2D, kernelFunc: kernelFunc as unknown as KernelFunc };
}
