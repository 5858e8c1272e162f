// Fast paths of Add and Sum for what every dense and conv layer does with its bias: x + b with b
// broadcast along the last axis (the shipped Add falls into its generic broadcasting loop), and its
// gradient, the sum over every axis but the last (the shipped Sum transposes the whole tensor first).
// Anything else goes to the shipped kernel.
import { Add, Sum, util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simd } from './simdLoops';
import { ptr, type WasmBackend } from './wasmHeap';

/** [C] or [1, ..., 1, C]: a bias for the last axis of `x`. */
function isBiasFor(b: TensorInfo, x: TensorInfo): boolean {
  const C = x.shape[x.shape.length - 1];
  return x.shape.length >= 2 && b.shape[b.shape.length - 1] === C && util.sizeFromShape(b.shape) === C && b.shape.length <= x.shape.length && util.sizeFromShape(x.shape) > (C as number);
}

export function addConfig(shipped: KernelConfig): KernelConfig {
  const generic = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackend }) => {
    const { inputs: { a, b }, backend } = args;
    const loops = simd();
    if (!loops || a.dtype !== 'float32' || b.dtype !== 'float32') return generic(args as never);
    const [x, bias] = isBiasFor(b, a) ? [a, b] : isBiasFor(a, b) ? [b, a] : [undefined, undefined];
    if (!x || !bias) return generic(args as never);
    const C = x.shape[x.shape.length - 1] as number;
    const out = backend.makeOutput(x.shape, 'float32');
    loops.bias_add(ptr(backend, x), ptr(backend, bias), ptr(backend, out), util.sizeFromShape(x.shape) / C, C);
    return out;
  };
  return { ...shipped, kernelName: Add, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function sumConfig(shipped: KernelConfig): KernelConfig {
  const generic = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: { axis: number | number[]; keepDims: boolean } }) => {
    const { inputs: { x }, backend, attrs } = args;
    const loops = simd();
    const rank = x.shape.length;
    const axes = util.parseAxisParam(attrs.axis, x.shape).sort((p, q) => p - q);
    const leading = rank >= 2 && axes.length === rank - 1 && axes.every((ax, i) => ax === i);
    const C = x.shape[rank - 1] as number;
    if (!loops || x.dtype !== 'float32' || !leading || C < 4) return generic(args as never);
    const out = backend.makeOutput(attrs.keepDims ? [...x.shape.slice(0, -1).map(() => 1), C] : [C], 'float32');
    loops.col_sum(ptr(backend, x), ptr(backend, out), util.sizeFromShape(x.shape) / C, C);
    return out;
  };
  return { ...shipped, kernelName: Sum, kernelFunc: kernelFunc as unknown as KernelFunc };
}
