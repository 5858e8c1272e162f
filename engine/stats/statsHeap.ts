// The statistics' way into the kernels' module (engine/train/kernels/simd/summaries.ts): its
// summary loops run on data in the wasm backend's heap, on tensors where they lie or on values
// copied into scratch. Undefined on another backend, or when the module is off (tests switch it
// off to compare with the JS loops): the callers then run the JS loops, which give the same numbers.
import * as tf from '@tensorflow/tfjs-core';
import { simd } from '../train/kernels/simdLoops';
import type { WasmBackend } from '../train/kernels/wasmHeap';

type Ptr = number;
/** The module's statistics loops (its other exports are the training kernels'). */
export interface SummaryLoops {
  summary_totals(x: Ptr, n: number, out: Ptr): void;
  summary_spread(x: Ptr, n: number, mean: number, min: number, width: number, small: number, bins: number,
    allFinite: number, counts: Ptr, out: Ptr): void;
  sum_squares(x: Ptr, n: number): number;
  quantize_maps(x: Ptr, per: number, c: number, count: number, q: Ptr, scales: Ptr): void;
}

export interface StatsHeap {
  loops: SummaryLoops;
  backend: WasmBackend & { wasm: { _malloc(bytes: number): number; _free(ptr: number): void } };
}

let enabled = true;

/** For tests: the statistics' JS loops even where the module runs (the training kernels stay on). */
export function setStatsModuleEnabled(on: boolean): void {
  enabled = on;
}

export function statsHeap(): StatsHeap | undefined {
  if (!enabled || tf.getBackend() !== 'wasm') return undefined;
  const loops = simd() as unknown as Partial<SummaryLoops> | undefined;
  if (!loops?.summary_totals || !loops.quantize_maps) return undefined;
  return { loops: loops as SummaryLoops, backend: tf.backend() as unknown as StatsHeap['backend'] };
}

/** Byte offset of a float32 tensor's data in the heap, or undefined. */
export function dataAt(heap: StatsHeap, t: tf.Tensor): Ptr | undefined {
  if (t.dtype !== 'float32') return undefined;
  return heap.backend.dataIdMap.get(t.dataId)?.memoryOffset;
}

/**
 * Runs `f` with `bytes` of scratch in the heap (8-byte aligned), freed after. Views of the heap
 * must be made inside `f`, after the allocation: growing the memory detaches earlier views.
 */
export function withScratch<R>(heap: StatsHeap, bytes: number, f: (at: Ptr, buffer: () => ArrayBuffer) => R): R {
  const at = heap.backend.wasm._malloc(bytes);
  if (!at) throw new Error(`The wasm heap has no room for ${bytes} bytes of statistics scratch.`);
  try {
    return f(at, () => heap.backend.wasm.asm.memory.buffer);
  } finally {
    heap.backend.wasm._free(at);
  }
}

/**
 * A float32 tensor's values: on the wasm backend a view of the heap, no copy (valid only until the
 * next allocation in the heap: use it at once), elsewhere its data.
 */
export function valuesOf(t: tf.Tensor): Float32Array {
  const heap = statsHeap();
  const x = heap && dataAt(heap, t);
  if (!heap || x === undefined) return t.dataSync() as Float32Array;
  return new Float32Array(heap.backend.wasm.asm.memory.buffer, x, t.size);
}
