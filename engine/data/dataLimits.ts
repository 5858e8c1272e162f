// Size limits of the user's data, so that a huge or hostile file is refused with a
// message on its `data` line instead of taking the training worker (or the editor) down.
//
// Why these figures: a data set lives in the worker as one Float32Array of features (4 bytes per
// value), and tfjs copies it again into tensors, so a set needs at least twice its feature bytes;
// the worker's JavaScript heap is capped at 4 GiB (resourceLimits in host/trainingRun.ts) and
// typed arrays come on top of that. 1 GiB of features (268 million values, five times full MNIST)
// keeps a run within a few GiB. Files get the same 1 GiB: a CSV is streamed but its numbers become
// features, an IDX file is read whole and each byte becomes 4, and reading is what the user waits for.
import { DataError } from './dataError';

const GiB = 1024 ** 3;
/** Bytes of files one data source (`csv`, `idx`, `images`, or `validation`) may read. */
export const MAX_DATA_FILE_BYTES = GiB;
/** Bytes of float32 features one data source may decode to. */
export const MAX_FEATURE_BYTES = GiB;
/** A CSV line longer than this is not a table row (a binary file, or no line breaks). */
export const MAX_CSV_LINE_CHARS = 16 * 1024 * 1024;

export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${Math.ceil(n / 1024)} KiB`;
}

/** The message for data files of `bytes` in total (`many`: `what` names several), or undefined when they are within the limit. */
export function fileBytesProblem(what: string, bytes: number, many = false, limit = MAX_DATA_FILE_BYTES): string | undefined {
  if (bytes <= limit) return undefined;
  return `${what} ${many ? 'are' : 'is'} ${formatBytes(bytes)}; Model Lab reads at most ${formatBytes(limit)} of data files per data source, ` +
    'so that training fits in memory. Use a sample of the data (fewer rows or images) or a smaller file.';
}

export function checkFileBytes(what: string, bytes: number, key: string, many = false, limit = MAX_DATA_FILE_BYTES): void {
  const problem = fileBytesProblem(what, bytes, many, limit);
  if (problem) throw new DataError(problem, key);
}

/** Refuses a data set of `values` float32 numbers before its array is allocated. */
export function checkFeatureBytes(what: string, values: number, key: string, limit = MAX_FEATURE_BYTES): void {
  const bytes = values * 4;
  if (bytes <= limit) return;
  throw new DataError(
    `${what} would become ${formatBytes(bytes)} of features (${values.toLocaleString('en-US')} numbers); Model Lab holds at most ${formatBytes(limit)} ` +
    'per data source in memory for training. Use fewer examples, smaller images or fewer columns.',
    key,
  );
}
