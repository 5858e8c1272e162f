// A tensor's value summary and L2 norm where its data lies. On the wasm backend the kernels'
// module (engine/train/kernels/simd/summaries.ts) reads the tensor in the heap: no copy out, and a
// fraction of the JS loops' time. Elsewhere (the cpu backend, a dtype other than float32, the
// module switched off in tests) the JS loops run on the tensor's values. Both give the same
// numbers, bit for bit (test/unit/tensorSummary.test.ts).
import type * as tf from '@tensorflow/tfjs-core';
import type { ValueSummary } from '../../protocol/stats';
import { dataAt, statsHeap, withScratch } from './statsHeap';
import { DEFAULT_BINS, l2, summarize, summaryOf, type Spread, type Totals } from './summarize';

export function summarizeTensor(t: tf.Tensor, bins = DEFAULT_BINS): ValueSummary {
  const heap = statsHeap();
  const x = heap && dataAt(heap, t);
  if (!heap || x === undefined) return summarize(t.dataSync(), bins);
  const n = t.size;
  // Scratch: 8 doubles of results, then the bins' counts and three times as many for the module.
  return withScratch(heap, 64 + 16 * bins, (out, buffer) => summaryOf(n, bins, {
    // Read by index: destructuring a typed array goes through its iterator, slow at this size.
    totals: (): Totals => {
      heap.loops.summary_totals(x, n, out);
      const r = new Float64Array(buffer(), out, 6);
      return { min: r[0] as number, max: r[1] as number, sum: r[2] as number, zeros: r[3] as number, finite: r[4] as number, nan: r[5] as number };
    },
    spread: (mean, min, width, small, b, allFinite): Spread => {
      heap.loops.summary_spread(x, n, mean, min, width, small, b, allFinite ? 1 : 0, out + 64, out);
      const r = new Float64Array(buffer(), out, 2);
      return { sq: r[0] as number, nearZero: r[1] as number, counts: new Int32Array(buffer(), out + 64, b) };
    },
  }));
}

/** The L2 norm of a tensor's values (l2's sum, in the same order). */
export function l2Tensor(t: tf.Tensor): number {
  const heap = statsHeap();
  const x = heap && dataAt(heap, t);
  if (!heap || x === undefined) return l2(t.dataSync());
  return Math.sqrt(heap.loops.sum_squares(x, t.size));
}
