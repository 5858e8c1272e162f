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
    totals: (): Totals => {
      heap.loops.summary_totals(x, n, out);
      const [min, max, sum, zeros, finite, nan] = new Float64Array(buffer(), out, 6) as unknown as number[];
      return { min, max, sum, zeros, finite, nan } as Totals;
    },
    spread: (mean, min, width, small, b, allFinite): Spread => {
      heap.loops.summary_spread(x, n, mean, min, width, small, b, allFinite ? 1 : 0, out + 64, out);
      const [sq, nearZero] = new Float64Array(buffer(), out, 2) as unknown as number[];
      return { sq, nearZero, counts: new Int32Array(buffer(), out + 64, b).slice() } as Spread;
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
