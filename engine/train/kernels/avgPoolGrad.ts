// AvgPoolGrad for the wasm and cpu backends, with the gradient of the forward pass they compute.
// Their AvgPool divides each window's sum by the number of values inside the input (padding never
// counts, as in TF/Keras), but tfjs 4.22's AvgPoolGrad on both backends divides by the whole window
// size: with padding 'same', every window that overhangs the border sent too small a gradient to
// its inputs, so layers before such a pool trained on a wrong gradient. A window lying wholly inside
// the input has the same count either way, so when every window does ('valid', or 'same' needing no
// padding) the shipped kernel runs; otherwise the loop below, one pass over dy with the channels
// innermost (NHWC).
import { AvgPoolGrad, backend_util, getKernel, registerKernel, unregisterKernel, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { f32, type WasmBackend } from './wasmHeap';
import type { CpuBackend } from './cpuBackend';

interface Attrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
}

type Args = { inputs: { dy: TensorInfo; input: TensorInfo }; backend: unknown; attrs: Attrs };

export function poolInfo(input: TensorInfo, attrs: Attrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad);
}

/** Whether every window lies inside the input (then each window's count is its full size). */
export function windowsInside(info: backend_util.Conv2DInfo): boolean {
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const { top, left } = info.padInfo;
  return top === 0 && left === 0 && (OH - 1) * SH + KH <= H && (OW - 1) * SW + KW <= W;
}

/** dx of an average pool: each output's gradient shared equally among the input values its window
 *  covers inside the input (the divisor of the forward pass). `dx` is overwritten. */
export function avgPoolGradValues(dy: Float32Array, dx: Float32Array, info: backend_util.Conv2DInfo): void {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW,
    filterHeight: KH, filterWidth: KW, strideHeight: SH, strideWidth: SW } = info;
  const { top, left } = info.padInfo;
  dx.fill(0);
  for (let b = 0; b < B; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = Math.max(0, oh * SH - top);
      const h1 = Math.min(H, oh * SH - top + KH);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = Math.max(0, ow * SW - left);
        const w1 = Math.min(W, ow * SW - left + KW);
        const count = (h1 - h0) * (w1 - w0);
        if (count <= 0) continue;
        const scale = 1 / count;
        const g = ((b * OH + oh) * OW + ow) * C;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const base = ((b * H + h) * W + w) * C;
            for (let c = 0; c < C; c++) dx[base + c] = (dx[base + c] as number) + (dy[g + c] as number) * scale;
          }
        }
      }
    }
  }
}

function wasmKernel(shipped: KernelConfig): KernelFunc {
  return (args) => {
    const { inputs: { dy, input }, backend, attrs } = args as unknown as Args;
    const info = poolInfo(input, attrs);
    if (windowsInside(info)) return (shipped.kernelFunc as KernelFunc)(args);
    const wasm = backend as WasmBackend;
    // Allocate first: growing the heap would detach views taken before.
    const dx = wasm.makeOutput(input.shape, 'float32');
    avgPoolGradValues(f32(wasm, dy), f32(wasm, dx), info);
    return dx;
  };
}

function cpuKernel(shipped: KernelConfig): KernelFunc {
  return (args) => {
    const { inputs: { dy, input }, backend, attrs } = args as unknown as Args;
    const info = poolInfo(input, attrs);
    if (windowsInside(info)) return (shipped.kernelFunc as KernelFunc)(args);
    const cpu = backend as CpuBackend;
    const dx = new Float32Array(input.shape.reduce((a, n) => a * n, 1));
    avgPoolGradValues(cpu.data.get(dy.dataId).values, dx, info);
    return cpu.makeTensorInfo(input.shape, 'float32', dx);
  };
}

const ours = new Set<KernelFunc>();
const shippedKernels = new Map<string, KernelConfig>();

/** Replaces AvgPoolGrad on the wasm and cpu backends. Idempotent; registerTrainingKernels calls it
 *  (the bench's stock-kernel column, which skips that, keeps tfjs's). */
export function registerAvgPoolGrad(): void {
  for (const [backendName, make] of [['wasm', wasmKernel], ['cpu', cpuKernel]] as const) {
    const current = getKernel(AvgPoolGrad, backendName);
    if (!current || ours.has(current.kernelFunc)) continue;
    shippedKernels.set(backendName, current);
    const kernelFunc = make(current);
    ours.add(kernelFunc);
    unregisterKernel(AvgPoolGrad, backendName);
    registerKernel({ kernelName: AvgPoolGrad, backendName, kernelFunc, ...(current.setupFunc ? { setupFunc: current.setupFunc } : {}) });
  }
}

/** Back to tfjs's kernels (tests that show what they computed). */
export function unregisterAvgPoolGrad(): void {
  for (const [backendName, shipped] of shippedKernels) {
    unregisterKernel(AvgPoolGrad, backendName);
    registerKernel(shipped);
  }
  shippedKernels.clear();
  ours.clear();
}
