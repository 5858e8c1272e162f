// Reads a run record for the compare panel, fast. Epoch lines are parsed whole; batch lines (most
// of metrics.jsonl: 100 per epoch is common) are only counted unless asked for, since every metric
// but the batch loss comes from the epochs, and then read into two columns (x, loss) without an
// object per line. Like readRun, a record cut at any byte reads as a valid prefix: only complete
// lines count.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochPoint, RunInfo, RunStatus, RunSummary } from '../../protocol/run';
import { readRunMeta } from '../../engine/runs/runMeta';
import { flattenConfig, type Flat } from './configDiff';

export interface CompareRun {
  /** The run folder. */
  id: string;
  label: string;
  info: RunInfo;
  status: RunStatus;
  summary?: RunSummary;
  epochs: EpochPoint[];
  /** Whether the record has batch points (known even when they were not read). */
  hasBatches: boolean;
  /** Empty unless read with `{ batches: true }`. */
  batchX: Float64Array;
  batchLoss: Float64Array;
  batchesRead: boolean;
  /** The model file text that ran ('' if the record has none). */
  config: string;
  /** The config flattened to dotted keys, parsed once when read (the table needs it on every redraw). */
  flatConfig: Flat;
}

export function readCompareRun(dir: string, options: { batches?: boolean } = {}): CompareRun | undefined {
  const info = readJson<RunInfo>(join(dir, 'run.json'));
  if (!info || typeof info.id !== 'string') return undefined;
  const summary = readJson<RunSummary>(join(dir, 'summary.json'));
  const config = readText(join(dir, 'model.yaml')) || readText(join(dir, 'model.json'));
  const batches = options.batches === true;
  const { epochs, batchX, batchLoss, hasBatches } = batches ? readMetrics(readText(join(dir, 'metrics.jsonl'))) : readEpochs(readBytes(join(dir, 'metrics.jsonl')));
  return {
    id: dir, label: readRunMeta(dir).displayName ?? info.name, info, status: summary?.status ?? 'failed', ...(summary ? { summary } : {}),
    epochs, hasBatches, batchX, batchLoss, batchesRead: batches, config, flatConfig: flattenConfig(config),
  };
}

const BATCH_PREFIX = '{"kind":"batch"';

export function readMetrics(text: string): { epochs: EpochPoint[]; batchX: Float64Array; batchLoss: Float64Array; hasBatches: boolean } {
  let xs: Float64Array = new Float64Array(1024);
  let ys: Float64Array = new Float64Array(1024);
  let n = 0;
  let hasBatches = false;
  const epochs: EpochPoint[] = [];
  for (let start = 0; ;) {
    const end = text.indexOf('\n', start);
    if (end < 0) break; // an unterminated last line was torn by a crash
    if (text.startsWith(BATCH_PREFIX, start)) {
      hasBatches = true;
      const x = numberAfter(text, '"x":', start, end);
      const loss = numberAfter(text, '"loss":', start, end);
      if (x === undefined || loss === undefined) break;
      // JSON writes a NaN loss as null; readRun leaves such points out, and so does this reader.
      if (!Number.isNaN(loss)) {
        if (n === xs.length) {
          xs = grow(xs);
          ys = grow(ys);
        }
        xs[n] = x;
        ys[n++] = loss;
      }
    } else if (end > start) {
      const epoch = parseEpoch(text.slice(start, end));
      if (epoch === null) break;
      if (epoch) epochs.push(epoch);
    }
    start = end + 1;
  }
  return { epochs, batchX: xs.slice(0, n), batchLoss: ys.slice(0, n), hasBatches };
}

const EPOCH_PREFIX = Buffer.from('{"kind":"epoch"');
const BATCH_BYTES = Buffer.from(BATCH_PREFIX);

/**
 * The epochs only, found with Buffer.indexOf so the batch lines are never decoded: opening the
 * panel on an epoch metric then costs a scan, not a parse, of records with 100 batches per epoch.
 */
export function readEpochs(bytes: Buffer): { epochs: EpochPoint[]; batchX: Float64Array; batchLoss: Float64Array; hasBatches: boolean } {
  const epochs: EpochPoint[] = [];
  for (let pos = 0; ;) {
    const at = bytes.indexOf(EPOCH_PREFIX, pos);
    if (at < 0) break;
    const end = bytes.indexOf(10, at);
    if (end < 0) break; // torn last line
    if (at === 0 || bytes[at - 1] === 10) {
      const epoch = parseEpoch(bytes.toString('utf8', at, end));
      if (epoch === null) break;
      if (epoch) epochs.push(epoch);
    }
    pos = end + 1;
  }
  const firstBatch = bytes.indexOf(BATCH_BYTES);
  const hasBatches = firstBatch >= 0 && bytes.indexOf(10, firstBatch) >= 0;
  return { epochs, batchX: new Float64Array(0), batchLoss: new Float64Array(0), hasBatches };
}

/** An epoch point, undefined for another kind of line, null for a line that is not JSON (stop there). */
function parseEpoch(line: string): EpochPoint | undefined | null {
  let m: ({ kind?: string } & EpochPoint) | undefined;
  try {
    m = JSON.parse(line) as { kind?: string } & EpochPoint;
  } catch {
    return null;
  }
  if (m?.kind !== 'epoch' || typeof m.loss !== 'number') return undefined;
  const { kind: _kind, ...epoch } = m;
  return epoch;
}

/** The number after `key` within [from, to); JSON writes NaN and Infinity as null, read as NaN. */
function numberAfter(text: string, key: string, from: number, to: number): number | undefined {
  const at = text.indexOf(key, from);
  if (at < 0 || at >= to) return undefined;
  const begin = at + key.length;
  if (text.startsWith('null', begin)) return Number.NaN;
  // parseFloat stops at the ',' or '}' after the number: no scanning loop in JS (it dominated the cost).
  const v = parseFloat(text.slice(begin, Math.min(to, begin + 32)));
  return Number.isNaN(v) ? undefined : v;
}

function grow(a: Float64Array): Float64Array {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

function readBytes(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function readJson<T>(path: string): T | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as unknown;
    return typeof v === 'object' && v !== null ? (v as T) : undefined;
  } catch {
    return undefined;
  }
}
