// A recorded run as TensorBoard events: scalars per epoch (loss, accuracy, val_loss, val_accuracy,
// learning_rate) and per optimizer step (batch loss, accuracy, learning rate), and the histograms of
// each layer's kernel, bias and activations when the run collected statistics (stats.jsonl).
// Epoch scalars use the epoch as their step (as Keras's TensorBoard callback does); batch scalars and
// histograms the optimizer step, which is unique even when statistics are collected within an epoch.
import type { BatchPoint, EpochPoint, RunSnapshot } from '../../protocol/run';
import type { StatsRecord, ValueSummary } from '../../protocol/stats';
import type { EventMessage, HistogramMessage, SummaryValueMessage } from './eventProto';

export const FILE_VERSION = 'brain.Event:2';

const EPOCH_SCALARS: [keyof EpochPoint, string][] = [
  ['loss', 'epoch/loss'], ['accuracy', 'epoch/accuracy'], ['valLoss', 'epoch/val_loss'], ['valAccuracy', 'epoch/val_accuracy'],
  ['learningRate', 'epoch/learning_rate'], ['valAccuracyTTA', 'epoch/val_accuracy_tta'], ['ensembleValAccuracy', 'epoch/ensemble_val_accuracy'],
];
const BATCH_SCALARS: [keyof BatchPoint, string][] = [['loss', 'batch/loss'], ['accuracy', 'batch/accuracy'], ['learningRate', 'batch/learning_rate']];

export function runEvents(run: RunSnapshot, stats: StatsRecord[] = []): EventMessage[] {
  const clock = wallClock(run);
  const events: EventMessage[] = [{ wall_time: clock.start, step: 0, file_version: FILE_VERSION }];
  const timed: EventMessage[] = [];
  for (const b of run.batches) timed.push(summaryEvent(clock.atStep(b.step), b.step, scalars(b, BATCH_SCALARS)));
  for (const e of run.epochs) timed.push(summaryEvent(clock.atEpoch(e.epoch), e.epoch, scalars(e, EPOCH_SCALARS)));
  for (const s of stats) {
    const values = histograms(s);
    if (values.length) timed.push(summaryEvent(clock.atStep(s.step), s.step, values));
  }
  // TensorBoard reads events in file order; order by time so a reader never sees time go backwards.
  timed.sort((a, b) => a.wall_time - b.wall_time);
  return [...events, ...timed.filter((e) => (e.summary?.value.length ?? 0) > 0)];
}

function summaryEvent(wallTime: number, step: number, value: SummaryValueMessage[]): EventMessage {
  return { wall_time: wallTime, step, summary: { value } };
}

function scalars<T extends object>(point: T, names: [keyof T, string][]): SummaryValueMessage[] {
  const out: SummaryValueMessage[] = [];
  for (const [key, tag] of names) {
    const v = point[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push({ tag, simple_value: v });
  }
  return out;
}

function histograms(record: StatsRecord): SummaryValueMessage[] {
  const out: SummaryValueMessage[] = [];
  for (const layer of record.layers) {
    for (const [part, summary] of [['kernel', layer.kernel], ['bias', layer.bias], ['activation', layer.act]] as const) {
      const histo = summary && toHistogram(summary);
      if (histo) out.push({ tag: `${layer.id}/${part}`, histo });
    }
  }
  return out;
}

/** Model Lab's fixed-width bins as TensorBoard's bucket limits (right edges). */
export function toHistogram(s: ValueSummary): HistogramMessage | undefined {
  const { lo, hi, counts } = s.hist;
  const num = counts.reduce((a, b) => a + b, 0);
  if (num === 0 || !Number.isFinite(lo) || !Number.isFinite(hi)) return undefined;
  const width = (hi - lo) / counts.length;
  return {
    min: s.min, max: s.max, num,
    sum: s.mean * num,
    sum_squares: num * (s.std * s.std + s.mean * s.mean),
    bucket_limit: counts.map((_, i) => (i === counts.length - 1 ? hi : lo + (i + 1) * width)),
    bucket: counts.slice(),
  };
}

/**
 * Wall times for the run's points. The record has the run's start and each epoch's elapsed time; a
 * step within an epoch is placed proportionally between the ends of its epoch and the one before.
 */
function wallClock(run: RunSnapshot): { start: number; atEpoch(epoch: number): number; atStep(step: number): number } {
  const parsed = Date.parse(run.info.startedAt);
  const start = (Number.isFinite(parsed) ? parsed : 0) / 1000;
  const ends = new Map(run.epochs.map((e) => [e.epoch, e.elapsedMs / 1000]));
  const perEpoch = Math.max(1, run.info.batchesPerEpoch);
  const lastEnd = run.epochs.length ? (run.epochs[run.epochs.length - 1] as EpochPoint).elapsedMs / 1000 : run.summary ? run.summary.durationMs / 1000 : 0;
  const atEpoch = (epoch: number): number => start + (ends.get(epoch) ?? (epoch <= 0 ? 0 : lastEnd));
  return {
    start,
    atEpoch,
    atStep(step) {
      if (step <= 0) return start;
      const epoch = Math.ceil(step / perEpoch);
      const from = atEpoch(epoch - 1);
      const to = ends.has(epoch) ? atEpoch(epoch) : Math.max(from, start + lastEnd);
      return from + ((to - from) * (step - (epoch - 1) * perEpoch)) / perEpoch;
    },
  };
}
