// The PyTorch runner's loop means what the tfjs engine's loop means. The same model file, the same
// data and split, the same initial weights: the tfjs engine trains with its real loop
// (engine/train/loop.ts with its standard hooks) and `python3 -m modellab_torch` trains through its
// protocol (docs/engines.md); every batch point (step, x, loss, accuracy, learning rate), every
// epoch's running means, validation loss and accuracy and the noise of its change, and the
// statistics both send (their schedule and the weights they measure) must agree.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchPoint, EpochPoint, RunInfo } from '../../protocol/run';
import type { StatsRecord } from '../../protocol/stats';
import { loadDataset } from '../../engine/data/load';
import { datasetsDir } from '../unit/helpers';
import { parse, useWasm } from './torchParityHelpers';
import { runnerRun, tfjsRun, writeSplit } from './torchParityRuns';
import { torchPython } from './torchPython';

before(useWasm);

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
