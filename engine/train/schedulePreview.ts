// The planned learning-rate curve of a model file as text: a sparkline and a few values, for the
// hover on `schedule` (VS Code hovers render markdown, and text needs no image permissions).
import type { ModelSpec } from '../../model/language/model';
import { cycleEnds, plannedCurve, warmupSteps, type ScheduleRun } from './schedules';

const BARS = '▁▂▃▄▅▆▇█';
const WIDTH = 48;

/** Batches per epoch as the loop will count them (validation split taken off the end, last batch partial). */
export function plannedRun(spec: ModelSpec): ScheduleRun | undefined {
  const n = spec.data.samples;
  if (!(n > 0)) return undefined;
  const train = n - Math.floor(n * spec.data.validationSplit);
  const stepsPerEpoch = Math.max(1, Math.ceil(train / spec.train.batchSize));
  return { baseLearningRate: spec.train.learningRate, stepsPerEpoch, totalSteps: stepsPerEpoch * spec.train.epochs };
}

export function sparkline(values: ArrayLike<number>, width = WIDTH): string {
  const n = values.length;
  if (n === 0) return '';
  const cols = Math.min(width, n);
  // Each column is the mean over its share of the steps: point samples would alias a cyclic curve.
  const sampled = Array.from({ length: cols }, (_, i) => {
    const from = Math.floor((i * n) / cols);
    const to = Math.max(from + 1, Math.floor(((i + 1) * n) / cols));
    let sum = 0;
    for (let j = from; j < to; j++) sum += values[j] as number;
    return sum / (to - from);
  });
  const max = Math.max(...sampled);
  const min = Math.min(...sampled);
  return sampled.map((v) => BARS[max > min ? Math.round(((v - min) / (max - min)) * (BARS.length - 1)) : BARS.length - 1]).join('');
}

const fmt = (v: number): string => (v === 0 ? '0' : v >= 1e-3 && v < 1e3 ? String(Number(v.toPrecision(3))) : v.toExponential(2));

/** Markdown: the curve over the planned steps, with the rate at chosen epochs. */
export function schedulePreview(spec: ModelSpec): string | undefined {
  const schedule = spec.train.schedule;
  if (!schedule) return undefined;
  const run = plannedRun(spec);
  if (!run) return 'The curve needs the number of training examples, which this data set only knows once it is loaded.';
  const curve = plannedCurve(schedule, run);
  const lines = [
    `**Learning rate over ${run.totalSteps} steps** (${spec.train.epochs} epochs × ${run.stepsPerEpoch} batches)`,
    '',
    '```text',
    sparkline(curve),
    `max ${fmt(Math.max(...curve))} · min ${fmt(Math.min(...curve))}`,
    '```',
    '',
    '| epoch | step | learning rate |',
    '|---:|---:|---:|',
  ];
  const epochs = new Set([1, Math.ceil(spec.train.epochs / 4), Math.ceil(spec.train.epochs / 2), Math.ceil((3 * spec.train.epochs) / 4), spec.train.epochs]);
  const w = warmupSteps(schedule, run);
  const rows: [number, number][] = [...epochs].map((e) => [e, (e - 1) * run.stepsPerEpoch]);
  if (w > 0 && w < run.totalSteps) rows.push([Math.floor(w / run.stepsPerEpoch) + 1, w]);
  rows.push([spec.train.epochs, run.totalSteps - 1]);
  const seen = new Set<number>();
  for (const [epoch, step] of rows.sort((a, b) => a[1] - b[1])) {
    if (seen.has(step)) continue;
    seen.add(step);
    lines.push(`| ${epoch} | ${step + 1}${step === w && w > 0 ? ' (warmup done)' : ''} | ${fmt(curve[step] as number)} |`);
  }
  const ends = cycleEnds(schedule, run);
  if (ends.length > 0) lines.push('', `${ends.length} cycle${ends.length === 1 ? '' : 's'} end${ends.length === 1 ? 's' : ''} in this run${spec.train.callbacks?.snapshotEnsemble ? ': one snapshot each' : ''}.`);
  if (schedule.reduceOnPlateau) lines.push('', `reduceOnPlateau may lower it further (× ${schedule.reduceOnPlateau.factor} after ${schedule.reduceOnPlateau.patience} epochs without a better ${schedule.reduceOnPlateau.monitor}).`);
  return lines.join('\n');
}
