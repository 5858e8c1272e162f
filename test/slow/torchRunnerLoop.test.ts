// The PyTorch runner's loop means what the tfjs engine's loop means. The same model file, the same
// data and split, the same initial weights: the tfjs engine trains with its real loop
// (engine/train/loop.ts with its standard hooks) and `python3 -m modellab_torch` trains through its
// protocol (docs/engines.md); every batch point (step, x, loss, accuracy, learning rate), every
// epoch's running means, validation loss and accuracy and the noise of its change, and the
// statistics both send (their schedule and the weights they measure) must agree.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from '../../protocol/run';
import type { StatsRecord } from '../../protocol/stats';
import { asWorkerToHost, type WorkerToHost } from '../../protocol/worker';
import type { ModelSpec } from '../../model/language/model';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { buildModel } from '../../engine/train/buildModel';
import { loadDataset } from '../../engine/data/load';
import { splitDataset, type Dataset } from '../../engine/data/dataset';
import { encode } from '../../engine/train/tensors';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';
import { concat, parse, plain, useWasm, writeWeights } from './torchParityHelpers';
import { torchPython } from './torchPython';

before(useWasm);

interface Run { info?: RunInfo; batches: BatchPoint[]; epochs: EpochPoint[]; stats: StatsRecord[]; summary?: RunSummary }

async function tfjsRun(spec: ModelSpec, data: Dataset, dir: string): Promise<Run> {
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
function writeSplit(dir: string, spec: ModelSpec, data: Dataset): void {
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

function runnerRun(spec: ModelSpec, dir: string): Promise<Run> {
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

const close = (a: number | undefined, b: number | undefined, rel: number, what: string): void => {
  assert.ok(a !== undefined && b !== undefined, `${what}: ${a} vs ${b}`);
  assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(a), 1e-3), `${what}: tfjs ${a}, torch ${b}`);
};

async function compare(text: string, tolerance: number): Promise<void> {
  torchPython(); // no Python with torch: fails here, saying how to get it
  const spec = parse(text);
  const dir = mkdtempSync(join(tmpdir(), 'torch-loop-'));
  try {
    const data = loadDataset(spec.data, datasetsDir);
    writeSplit(dir, spec, data);
    const tfjs = await tfjsRun(spec, data, dir);
    const torch = await runnerRun(spec, dir);
    assert.equal(torch.summary?.status, 'completed');
    const facts = (i?: RunInfo) => i && [i.name, i.epochs, i.batchSize, i.batchesPerEpoch, i.trainSamples, i.valSamples, i.metrics, i.dataset, i.seed, i.totalParams];
    assert.deepEqual(facts(torch.info), facts(tfjs.info));
    assert.equal(torch.batches.length, tfjs.batches.length);
    tfjs.batches.forEach((b, i) => {
      const t = torch.batches[i] as BatchPoint;
      assert.deepEqual([t.step, t.epoch, t.x, t.learningRate], [b.step, b.epoch, b.x, b.learningRate], `batch ${i + 1}`);
      close(b.loss, t.loss, tolerance, `batch ${i + 1} loss`);
    });
    assert.equal(torch.epochs.length, tfjs.epochs.length);
    tfjs.epochs.forEach((e, i) => {
      const t = torch.epochs[i] as EpochPoint;
      close(e.loss, t.loss, tolerance, `epoch ${e.epoch} loss`);
      close(e.valLoss, t.valLoss, tolerance, `epoch ${e.epoch} valLoss`);
      // Accuracies count examples: a borderline example may fall either side of float rounding.
      assert.ok(Math.abs((e.accuracy ?? 0) - (t.accuracy ?? 0)) <= 0.01, `epoch ${e.epoch} accuracy ${e.accuracy} vs ${t.accuracy}`);
      assert.ok(Math.abs((e.valAccuracy ?? 0) - (t.valAccuracy ?? 0)) <= 0.02, `epoch ${e.epoch} valAccuracy ${e.valAccuracy} vs ${t.valAccuracy}`);
      if (i > 0) close(e.valLossChangeSE, t.valLossChangeSE, 0.05, `epoch ${e.epoch} valLossChangeSE`);
    });
    // Statistics: the same collections, and at init the very same weights measured the same way.
    assert.deepEqual(torch.stats.map((r) => [r.when, r.step, r.epoch]), tfjs.stats.map((r) => [r.when, r.step, r.epoch]));
    const [a, b] = [tfjs.stats[0] as StatsRecord, torch.stats[0] as StatsRecord];
    assert.deepEqual(b.layers.map((l) => [l.id, l.kind, l.fanIn, l.fanOut, l.target]), a.layers.map((l) => [l.id, l.kind, l.fanIn, l.fanOut, l.target]));
    a.layers.forEach((l, i) => {
      const m = b.layers[i];
      assert.deepEqual(m?.kernel?.hist.counts, l.kernel?.hist.counts, `${l.id} initial kernel histogram`);
      if (l.act) close(l.act.mean, m?.act?.mean, 1e-3, `${l.id} initial activation mean`);
      if (l.gradNorm !== undefined) close(l.gradNorm, m?.gradNorm, 1e-2, `${l.id} initial gradient norm`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('xor: batch points, epoch points and statistics match the tfjs loop', { timeout: 240_000 }, async () => {
  await compare(`name: xor
data: {dataset: xor, samples: 300, noise: 0.05, validationSplit: 0.2}
model:
  input: [2]
  layers:
    - dense: {units: 8, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train: {loss: binaryCrossentropy, optimizer: adam, learningRate: 0.05, batchSize: 32, epochs: 4, metrics: [accuracy], seed: 1,
  schedule: {cosineDecay: {alpha: 0.1}}}
`, 1e-3);
});

test('digits CNN: the same through conv layers, softmax and their statistics', { timeout: 240_000 }, async () => {
  await compare(`name: digits-cnn
data: {dataset: digits, samples: 400, validationSplit: 0.25}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 4, kernelSize: 3, padding: same, activation: relu}
    - maxPooling2d: {poolSize: 2}
    - flatten: {}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: adam, learningRate: 0.01, batchSize: 32, epochs: 2, metrics: [accuracy], seed: 4}
`, 1e-3);
});
