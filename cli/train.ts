// `model-lab train`: trains in this process (no worker needed on a command line), with a progress
// bar on a terminal, the run record on disk, and Ctrl-C as a clean stop.
import type { EpochPoint, RunInfo, RunSummary } from '../protocol/run';
import { newRunDir, RunRecorder } from '../engine/runs/runStore';
import type { ModelSpec } from '../model/language/model';
import { ProgressCoalescer } from '../engine/train/coalesce';
import { train } from '../engine/train/loop';
import { DataLoadError } from '../engine/data/loadTraining';
import { standardHooks } from '../engine/train/standardHooks';
import { CancellationSource, type CancellationToken } from '../common/cancellation';
import type { TrainingSink } from '../engine/train/hooks';
import { formatDiagnostic } from '../model/language/diagnostic';
import { StatsRecorder } from '../engine/stats/record';
import type { TrainingDiagnostic } from '../protocol/stats';
import { ProgressBar } from './progressBar';

export interface CliTrainOptions {
  datasetsDir: string;
  wasmDir: string;
  json: boolean;
  backend: 'auto' | 'wasm' | 'cpu';
  runsDir: string | undefined;
  /** Another engine than the in-process tfjs loop (cli/trainPytorch.ts): trains with this sink until its summary. */
  trainer?: (sink: TrainingSink, token: CancellationToken, run: { runId: string; runDir: string | undefined }) => Promise<RunSummary>;
}

export async function runTrain(spec: ModelSpec, source: string, modelFile: string, o: CliTrainOptions): Promise<number> {
  const recorder = o.runsDir ? new RunRecorder(newRunDir(o.runsDir, spec.name), (m) => process.stderr.write(`warning: ${m}\n`)) : undefined;
  recorder?.writeModel(source, modelFile);
  const statsRecorder = recorder && new StatsRecorder(recorder.dir, (m) => process.stderr.write(`warning: ${m}\n`));
  let diagnostics: TrainingDiagnostic[] = [];
  const cancel = new CancellationSource();
  const onSigint = () => {
    process.stderr.write('\nStopping after this batch…\n');
    cancel.cancel();
  };
  process.once('SIGINT', onSigint);
  const epochs: EpochPoint[] = [];
  let info: RunInfo | undefined;
  let bar: ProgressBar | undefined;
  const coalescer = new ProgressCoalescer((chunk) => recorder?.append(chunk.batches, chunk.epochs), 250);
  let summary: RunSummary;
  const runId = recorder?.dir.split(/[\\/]/).pop() ?? 'cli';
  try {
    const sink: TrainingSink = {
      started: (i) => {
        info = i;
        recorder?.writeInfo(i);
        if (!o.json) process.stderr.write(`Training ${i.name} on ${i.dataset} (${i.trainSamples} train / ${i.valSamples} validation examples, ${i.totalParams} parameters, ${i.backend} backend)\n`);
        if (process.stderr.isTTY && !o.json) bar = new ProgressBar({ write: (t) => process.stderr.write(t), columns: process.stderr.columns }, i.epochs, i.trainSamples);
      },
      batch: (p) => {
        coalescer.batch(p);
        bar?.update(p.x, p.loss);
      },
      epoch: (p) => {
        coalescer.epoch(p);
        epochs.push(p);
        if (!bar && !o.json) process.stderr.write(epochLine(p, info?.epochs ?? 0) + '\n');
      },
      log: (level, message) => {
        if (o.json) return;
        if (bar) bar.message(`${level}: ${message}`);
        else process.stderr.write(`${level}: ${message}\n`);
      },
      // Statistics go to the run record (stats.jsonl); training diagnostics are printed at the end.
      stats: (r) => statsRecorder?.append(r),
      diagnostics: (list) => {
        diagnostics = list;
        statsRecorder?.writeDiagnostics(list);
      },
    };
    summary = o.trainer
      ? await o.trainer(sink, cancel.token, { runId, runDir: recorder?.dir })
      : await train(spec, {
        runId, modelFile, datasetsDir: o.datasetsDir, wasmDir: o.wasmDir,
        backend: o.backend, token: cancel.token, hooks: standardHooks(spec, { runDir: recorder?.dir }), sink,
      });
  } catch (e) {
    // A data file that does not fit the model is the user's to fix: one line on its key, no stack.
    if (!(e instanceof DataLoadError)) throw e;
    process.stderr.write(`${e.message.slice(0, e.message.length - e.detail.length)}error: ${e.detail}\n`);
    recorder?.writeSummary({ status: 'failed', endedAt: new Date().toISOString(), durationMs: 0, epochsDone: 0, error: e.message });
    return 1;
  } finally {
    process.removeListener('SIGINT', onSigint);
    coalescer.flush();
  }
  bar?.done(summary.status === 'completed');
  await statsRecorder?.flushed(); // the last training diagnostics are written asynchronously
  recorder?.writeSummary(summary);
  const meanRate = epochs.length ? epochs.reduce((a, e) => a + e.samplesPerSec, 0) / epochs.length : 0;
  if (o.json) {
    process.stdout.write(JSON.stringify({ status: summary.status, error: summary.error, final: summary.final, epochs, samplesPerSec: meanRate, durationMs: summary.durationMs, runDir: recorder?.dir, info, diagnostics }, null, 2) + '\n');
  } else {
    if (summary.final) process.stdout.write(`${summary.status}: ${epochLine(summary.final, info?.epochs ?? 0)} · ${(summary.durationMs / 1000).toFixed(1)} s\n`);
    if (summary.error) process.stderr.write(`error: ${summary.error}\n`);
    const byLine = [...diagnostics].sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
    for (const d of byLine) process.stderr.write(formatDiagnostic(modelFile, d) + '\n');
    if (recorder) process.stdout.write(`Run record: ${recorder.dir}\n`);
  }
  return summary.status === 'failed' ? 3 : 0;
}

function epochLine(e: EpochPoint, total: number): string {
  const parts = [`epoch ${e.epoch}/${total}`, `loss ${e.loss.toFixed(4)}`];
  if (e.accuracy !== undefined) parts.push(`accuracy ${e.accuracy.toFixed(4)}`);
  if (e.valLoss !== undefined) parts.push(`val loss ${e.valLoss.toFixed(4)}`);
  if (e.valAccuracy !== undefined) parts.push(`val accuracy ${e.valAccuracy.toFixed(4)}`);
  if (e.valAccuracyTTA !== undefined) parts.push(`val accuracy with TTA ${e.valAccuracyTTA.toFixed(4)}`);
  if (e.ensembleValAccuracy !== undefined) parts.push(`snapshot ensemble val accuracy ${e.ensembleValAccuracy.toFixed(4)}`);
  parts.push(`${Math.round(e.samplesPerSec)} samples/s`);
  return parts.join(' · ');
}
