// Access to the wasm backend's heap for kernels written in JS: tensors on the wasm backend live in
// its linear memory, so a kernel reads and writes Float32Array views of that memory directly.
// These are backend internals: tfjs is pinned exactly in package.json for that reason.
import { getKernel, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';

/** The part of BackendWasm our kernels use. */
export interface WasmBackend {
  wasm: { HEAPF32: Float32Array; asm: { memory: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number; shape: number[] } | undefined };
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  disposeData(dataId: object, force?: boolean): boolean;
  refCount(dataId: object): number;
}

/** A Float32Array view of a tensor's data in the wasm heap (valid until the next allocation). */
export function f32(backend: WasmBackend, t: TensorInfo): Float32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('Tensor is not on the wasm backend.');
  const size = t.shape.reduce((a, b) => a * b, 1);
  return backend.wasm.HEAPF32.subarray(data.memoryOffset / 4, data.memoryOffset / 4 + size);
}

/** Byte offset of a tensor's data in the wasm heap (what the SIMD module's functions take). */
export function ptr(backend: WasmBackend, t: TensorInfo): number {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('Tensor is not on the wasm backend.');
  return data.memoryOffset;
}

/** Runs another registered wasm kernel from inside a kernel (no engine bookkeeping). */
export function callWasmKernel(name: string, backend: WasmBackend, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
  const config = getKernel(name, 'wasm');
  if (!config) throw new Error(`The wasm backend has no ${name} kernel.`);
  return (config.kernelFunc as KernelFunc)({ inputs, backend: backend as never, attrs }) as TensorInfo;
}

export function dispose(backend: WasmBackend, ...tensors: TensorInfo[]): void {
  for (const t of tensors) backend.disposeData(t.dataId, true);
}
