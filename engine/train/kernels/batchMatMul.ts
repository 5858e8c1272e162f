// BatchMatMul for the wasm backend, replacing the shipped one's slow paths: it uses XNNPACK only when
// neither operand is transposed, and backpropagation always asks for xᵀ·dy and dy·Wᵀ, which fall into
// a scalar loop (~10x slower). Transposing the operand first (a memory copy) and taking the fast path
// gives the same numbers.
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { callWasmKernel, dispose, type WasmBackend } from './wasmHeap';

export function batchMatMulConfig(shipped: KernelConfig): KernelConfig {
  const fast = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackend; attrs: { transposeA: boolean; transposeB: boolean } }) => {
    const { inputs: { a, b }, backend, attrs } = args;
    if (!attrs.transposeA && !attrs.transposeB) return fast(args as never);
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      const n = perm.length;
      [perm[n - 2], perm[n - 1]] = [perm[n - 1] as number, perm[n - 2] as number];
      return callWasmKernel('Transpose', backend, { x: t }, { perm });
    };
    const at = attrs.transposeA ? swapLast(a) : a;
    const bt = attrs.transposeB ? swapLast(b) : b;
    const out = fast({ inputs: { a: at, b: bt }, backend: backend as never, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    if (at !== a) dispose(backend, at);
    if (bt !== b) dispose(backend, bt);
    return out;
  };
  return { ...shipped, kernelFunc: kernelFunc as unknown as KernelFunc };
}

