// One model file trained by both engines' real loops from the same start: the tfjs engine's loop
// (engine/train/loop.ts with its standard hooks) initialises and writes its initial weights, and
// `python3 -m modellab_torch` loads them and trains through its protocol on the same split
// (docs/engines.md). Used by torchRunnerLoop.test.ts and by `npm run bench:parity -- --shared-init`.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from '../../protocol/run';
import type { StatsRecord } from '../../protocol/stats';
import { asWorkerToHost, type WorkerToHost } from '../../protocol/worker';
import type { ModelSpec } from '../../model/language/model';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { buildModel } from '../../engine/train/buildModel';
import { splitDataset, type Dataset } from '../../engine/data/dataset';
import { encode } from '../../engine/train/tensors';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';
import { concat, plain, writeWeights } from './torchParityHelpers';
import { torchPython } from './torchPython';

export interface Run { info?: RunInfo; batches: BatchPoint[]; epochs: EpochPoint[]; stats: StatsRecord[]; summary?: RunSummary }

export async function tfjsRun(spec: ModelSpec, data: Dataset, dir: string): Promise<Run> {
  const run: Run = { batches: [], epochs: [], stats: [] };
  run.summary = await train(spec, {
    runId: 'tfjs', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, data, hooks: standardHooks(spec),
    // The weights it starts from go to the runner.
    buildModel: (s) => {
      const model: tfl.LayersModel = buildModel(s);
      writeWeights(dir, model, s);
      return model;
    },
    sink: {
      started: (info) => (run.info = info), log: () => {}, batch: (p) => run.batches.push(p), epoch: (p) => run.epochs.push(p),
      stats: (r) => run.stats.push(r),
    },
  });
  return run;
}

/** data.json + data.bin of the same split the tfjs loop makes (splitDataset: validation last). */
export function writeSplit(dir: string, spec: ModelSpec, data: Dataset): void {
  const { train: tr, val } = splitDataset(data, spec.data.validationSplit);
  const units = Number(spec.model.layers[spec.model.layers.length - 1]?.config.units);
  const [a, b] = [encode(tr, spec.model.input, units), encode(val, spec.model.input, units)];
  let at = 0;
  const place = (len: number): [number, number] => [(at += len) - len, len];
  const entry = (s: typeof a) => ({ n: s.n, xShape: s.xShape, yShape: [s.yWidth], x: place(s.x.length), y: place(s.y.length) });
  const meta = { task: data.task === 'regression' ? 'regression' : 'classification', classes: data.classes, train: entry(a), val: entry(b) };
  writeFileSync(join(dir, 'data.json'), JSON.stringify(meta));
  writeFileSync(join(dir, 'data.bin'), concat([a.x, a.y, b.x, b.y]));
}

export function runnerRun(spec: ModelSpec, dir: string): Promise<Run> {
  const run: Run = { batches: [], epochs: [], stats: [] };
  const child = spawn(torchPython(), ['-m', 'modellab_torch'], { cwd: join(repo, 'engines/pytorch'), env: { ...process.env, PYTHONPATH: join(repo, 'engines/pytorch') } });
  const start = { type: 'start', runId: 'torch', spec: JSON.parse(plain(spec)), dataFile: join(dir, 'data.json'), device: 'cpu', threads: 1, initialWeightsFile: join(dir, 'weights.json') };
  child.stdin.write(`${JSON.stringify(start)}\n`);
  let text = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (text += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve, reject) => {
    child.on('close', (code) => {
      for (const line of text.split('\n').filter((l) => l)) {
        const m: WorkerToHost | undefined = asWorkerToHost(JSON.parse(line));
        if (!m) return reject(new Error(`the host's guard drops: ${line.slice(0, 200)}`));
        if (m.type === 'started') run.info = m.info;
        else if (m.type === 'progress') {
          run.batches.push(...m.batches);
          run.epochs.push(...m.epochs);
        } else if (m.type === 'stats') run.stats.push(m.record);
        else if (m.type === 'done') run.summary = m.summary;
        else if (m.type === 'error') return reject(new Error(m.message));
      }
      if (code !== 0) return reject(new Error(`runner exited ${code}: ${stderr}`));
      child.stdin.end();
      resolve(run);
    });
    child.stdin.on('error', () => {});
  });
}

