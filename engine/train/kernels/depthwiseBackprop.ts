// The two gradients of a depthwise convolution, which the wasm backend ships without (so depthwise
// and separable conv layers could not train on it): DepthwiseConv2dNativeBackpropInput and
// ...BackpropFilter. Direct loops over output positions and window taps; the filter is [kh, kw, c, m]
// and output channel c*m+q reads input channel c. SIMD module when built, else the same loops in JS.
import {
  backend_util, DepthwiseConv2dNativeBackpropFilter, DepthwiseConv2dNativeBackpropInput, type KernelConfig, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { convDims } from './im2col';
import { simd } from './simdLoops';
import { f32, ptr, type WasmBackend } from './wasmHeap';

interface Attrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

function info(xShape: number[], filterShape: number[], a: Attrs): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], a.strides, a.dilations, a.pad, a.dimRoundingMode, true);
}

/** Calls `tap(xIndex, dyIndex, filterIndex)` (element offsets, channel 0) for every output position
 *  and window tap inside the image. */
function forEachTap(i: backend_util.Conv2DInfo, M: number, tap: (xi: number, gi: number, fi: number) => void): void {
  const [B, H, W, C, OH, OW, KH, KW, SH, SW, DH, DW, top, left] = convDims(i);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const gi = ((b * OH + oh) * OW + ow) * C * M;
        for (let kh = 0; kh < KH; kh++) {
          const ih = oh * SH + kh * DH - top;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = ow * SW + kw * DW - left;
            if (iw < 0 || iw >= W) continue;
            tap(((b * H + ih) * W + iw) * C, gi, (kh * KW + kw) * C * M);
          }
        }
      }
    }
  }
}

function backpropInput(args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: WasmBackend; attrs: Attrs & { inputShape: number[] } }): TensorInfo {
  const { inputs: { dy, filter }, backend, attrs } = args;
  const ci = info(attrs.inputShape, filter.shape, attrs);
  const M = filter.shape[3] as number;
  const C = ci.inChannels;
  const out = backend.makeOutput(attrs.inputShape, 'float32');
  f32(backend, out).fill(0);
  const loops = simd();
  if (loops) {
    loops.depthwise_input(ptr(backend, dy), ptr(backend, filter), ptr(backend, out), ...convDims(ci), M);
    return out;
  }
  const g = f32(backend, dy);
  const f = f32(backend, filter);
  const dx = f32(backend, out);
  forEachTap(ci, M, (xi, gi, fi) => {
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let q = 0; q < M; q++) s += (g[gi + c * M + q] as number) * (f[fi + c * M + q] as number);
      dx[xi + c] = (dx[xi + c] as number) + s;
    }
  });
  return out;
}

function backpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: WasmBackend; attrs: Attrs & { filterShape: number[] } }): TensorInfo {
  const { inputs: { x, dy }, backend, attrs } = args;
  const ci = info(x.shape, attrs.filterShape, attrs);
  const M = attrs.filterShape[3] as number;
  const C = ci.inChannels;
  const out = backend.makeOutput(attrs.filterShape, 'float32');
  f32(backend, out).fill(0);
  const loops = simd();
  if (loops) {
    loops.depthwise_filter(ptr(backend, x), ptr(backend, dy), ptr(backend, out), ...convDims(ci), M);
    return out;
  }
  const xs = f32(backend, x);
  const g = f32(backend, dy);
  const df = f32(backend, out);
  forEachTap(ci, M, (xi, gi, fi) => {
    for (let c = 0; c < C; c++) {
      const v = xs[xi + c] as number;
      for (let q = 0; q < M; q++) df[fi + c * M + q] = (df[fi + c * M + q] as number) + v * (g[gi + c * M + q] as number);
    }
  });
  return out;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput, backendName: 'wasm', kernelFunc: backpropInput as unknown as KernelConfig['kernelFunc'],
};
export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter, backendName: 'wasm', kernelFunc: backpropFilter as unknown as KernelConfig['kernelFunc'],
};
