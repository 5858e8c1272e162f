// Turns the errors tfjs, wasm and V8 throw when memory runs out into a message a user can act on:
// "Invalid typed array length: 14400000000" says nothing about the 60000-unit layer that caused it.
import type { ModelSummary } from '../../model/analysis/shapes';

const OUT_OF_MEMORY = /Invalid typed array length|Array buffer allocation failed|out of memory|Cannot enlarge memory|Aborted\(OOM\)|ERR_WORKER_OUT_OF_MEMORY|Invalid array length/i;

export function isOutOfMemory(message: string): boolean {
  return OUT_OF_MEMORY.test(message);
}

/** The message to show for an error that ended a run; `summary` (when the model parsed) names the biggest layer. */
export function explainTrainingError(message: string, summary?: ModelSummary): string {
  if (!isOutOfMemory(message)) return message;
  const gb = (n: number): string => `${((n * 4) / 2 ** 30).toFixed(1)} GB`;
  if (!summary) return `Training ran out of memory (${message}).`;
  const biggest = [...summary.layers].sort((a, b) => b.params - a.params)[0];
  const where = biggest ? ` The largest layer, '${biggest.id}', holds ${biggest.params.toLocaleString('en-US')} of them (${gb(biggest.params)}).` : '';
  return `The model does not fit in memory: ${summary.totalParams.toLocaleString('en-US')} parameters need ${gb(summary.totalParams)} of float32 weights, `
    + `and training keeps several copies (gradients, optimizer state).${where} Use fewer units or filters. (${message})`;
}
