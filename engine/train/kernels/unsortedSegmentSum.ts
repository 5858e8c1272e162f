// UnsortedSegmentSum for the wasm backend, which ships without it: the gradient of tf.gather, so an
// embedding layer could not train on wasm. out[s] = sum of the rows of x whose segment id is s;
// ids outside [0, numSegments) contribute nothing (as on the cpu backend). One pass over x.
import { UnsortedSegmentSum, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasmHeap';

interface Heaps { HEAPF32: Float32Array; HEAP32: Int32Array }

function view(backend: WasmBackend, t: TensorInfo): Float32Array | Int32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('Tensor is not on the wasm backend.');
  const size = t.shape.reduce((a, b) => a * b, 1);
  const heaps = backend.wasm as unknown as Heaps;
  const heap = t.dtype === 'int32' ? heaps.HEAP32 : heaps.HEAPF32;
  return heap.subarray(data.memoryOffset / 4, data.memoryOffset / 4 + size);
}

function unsortedSegmentSum(args: { inputs: { x: TensorInfo; segmentIds: TensorInfo }; backend: WasmBackend; attrs: { numSegments: number } }): TensorInfo {
  const { inputs: { x, segmentIds }, backend, attrs: { numSegments } } = args;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32, not ${x.dtype}.`);
  if (segmentIds.dtype !== 'int32') throw new Error('UnsortedSegmentSum needs int32 segment ids.');
  const inner = x.shape.slice(segmentIds.shape.length);
  const row = inner.reduce((a, b) => a * b, 1);
  const out = (backend.makeOutput as (s: number[], d: string) => TensorInfo)([numSegments, ...inner], x.dtype);
  const o = view(backend, out);
  o.fill(0);
  const xs = view(backend, x);
  const ids = view(backend, segmentIds);
  for (let r = 0; r < ids.length; r++) {
    const s = ids[r] as number;
    if (s < 0 || s >= numSegments) continue;
    const src = r * row;
    const dst = s * row;
    for (let j = 0; j < row; j++) o[dst + j] = (o[dst + j] as number) + (xs[src + j] as number);
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum, backendName: 'wasm', kernelFunc: unsortedSegmentSum as unknown as KernelConfig['kernelFunc'],
};
