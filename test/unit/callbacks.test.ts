// Callbacks in real training runs: early stopping, restoring the best weights,
// reduce-on-plateau, checkpoints that load back with tf.loadLayersModel. The learning-rate schedule
// and the snapshot ensemble on the digits are in test/slow/callbacks-examples.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { EpochPoint } from '../../protocol/run';
import { useBackend } from '../../engine/train/backend';
import { fileModelHandler } from '../../engine/train/callbacks/fileModelHandler';
import { earlyStoppingHook } from '../../engine/train/callbacks/earlyStopping';
import { scheduleHook } from '../../engine/train/callbacks/scheduleHook';
import type { LoopContext, TrainingHook } from '../../engine/train/hooks';
import { wasmDir, XOR } from './helpers';
import { collect, run, specOf } from './callbackRun';

test('early stopping ends a run that stopped improving, as a completed run', async () => {
  await useBackend('wasm', wasmDir);
  // A rate this small changes valLoss by far less than minDelta: no epoch after the first improves.
  const text = XOR.replace('learningRate: 0.05', 'learningRate: 0.0000001').replace('  seed: 1', '  seed: 1\n  callbacks:\n    earlyStopping: {patience: 2, minDelta: 0.01}');
  const sink = collect();
  const summary = await run(text, sink);
  assert.equal(summary.status, 'completed');
  assert.equal(summary.epochsDone, 3);
  assert.ok(sink.logs.some((l) => /earlyStopping: valLoss has not improved for 2 epochs \(best .* at epoch 1\)/.test(l)), sink.logs.join('\n'));
});

function fakeContext(model: tfl.LayersModel): LoopContext & { logs: string[] } {
  const logs: string[] = [];
  return {
    model, logs, step: 0, epoch: 0, learningRate: 0.1,
    sink: { started() {}, batch() {}, epoch() {}, log: (_l: string, m: string) => logs.push(m) },
    info: { batchesPerEpoch: 10, epochs: 10 },
  } as unknown as LoopContext & { logs: string[] };
}
const point = (epoch: number, valLoss: number): EpochPoint => ({ epoch, loss: valLoss, valLoss, learningRate: 0.1, samplesPerSec: 1, elapsedMs: 1 });

test('restoreBestWeights puts back the weights of the best epoch, and keeps no tensor', async () => {
  await useBackend('wasm', wasmDir);
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
  const ctx = fakeContext(model);
  const hook = earlyStoppingHook({ monitor: 'valLoss', patience: 2, minDelta: 0, restoreBestWeights: true });
  const before = tf.memory().numTensors;
  const bestWeights = model.getWeights().map((w) => [...w.dataSync()]);
  hook.afterEpoch!(ctx, point(1, 0.5));
  const other = model.getWeights().map((w) => tf.fill(w.shape, 7));
  model.setWeights(other);
  tf.dispose(other);
  hook.afterEpoch!(ctx, point(2, 0.6));
  assert.equal(ctx.stopReason, undefined);
  hook.afterEpoch!(ctx, point(3, 0.7));
  assert.match(ctx.stopReason ?? '', /not improved for 2 epochs.*Restored the weights of epoch 1/);
  assert.deepEqual(model.getWeights().map((w) => [...w.dataSync()]), bestWeights);
  await hook.end!(ctx);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
});

test('reduceOnPlateau multiplies the rate by factor after patience epochs without improvement, then cools down', async () => {
  const ctx = fakeContext({} as tfl.LayersModel);
  const s = specOf(XOR.replace('  seed: 1', '  seed: 1\n  schedule:\n    reduceOnPlateau: {factor: 0.5, patience: 2, cooldown: 1}')).train.schedule!;
  const hook = scheduleHook(s, 0.1);
  hook.begin!(ctx);
  const rateAfter = (epoch: number, valLoss: number): number => {
    hook.afterEpoch!(ctx, point(epoch, valLoss));
    hook.beforeBatch!(ctx);
    return ctx.learningRate;
  };
  assert.equal(rateAfter(1, 1), 0.1);
  assert.equal(rateAfter(2, 1), 0.1);
  assert.equal(rateAfter(3, 1), 0.05, 'two epochs without improvement');
  // Keras' counting: the cooldown epoch still counts towards the next wait once the cooldown is over.
  assert.equal(rateAfter(4, 1), 0.05, 'cooldown');
  assert.equal(rateAfter(5, 1), 0.025);
  assert.equal(rateAfter(6, 1), 0.025, 'cooldown again');
  assert.equal(rateAfter(7, 0.5), 0.025, 'an improvement resets the wait');
  assert.equal(rateAfter(8, 0.6), 0.025);
  assert.ok(ctx.logs.some((l) => /reduceOnPlateau: valLoss has not improved for 2 epochs; learning rate × 0.5/.test(l)));
});

test('a model saved through fileModelHandler loads back with tf.loadLayersModel, same weights, same predictions', async () => {
  await useBackend('wasm', wasmDir);
  const dir = mkdtempSync(join(tmpdir(), 'ml-ckpt-'));
  try {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [3], units: 4, activation: 'relu' }), tfl.layers.dense({ units: 2, activation: 'softmax' })] });
    await model.save(fileModelHandler(join(dir, 'best'), { modelLab: { epoch: 3 } }));
    await model.save(fileModelHandler(join(dir, 'best'), { modelLab: { epoch: 4 } })); // replaces the folder atomically
    assert.deepEqual(readdirSync(dir), ['best'], 'no temporary folder left behind');
    assert.deepEqual(readdirSync(join(dir, 'best')).sort(), ['model.json', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(dir, 'best', 'model.json'), 'utf8'));
    assert.deepEqual(json.userDefinedMetadata, { modelLab: { epoch: 4 } });
    const loaded = await tfl.loadLayersModel(fileModelHandler(join(dir, 'best')));
    const x = tf.tensor2d([[1, 2, 3], [-1, 0.5, 2]]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    assert.deepEqual([...a.dataSync()], [...b.dataSync()]);
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('checkpoint best/last during training: the last one holds the final weights and loads back', async () => {
  await useBackend('wasm', wasmDir);
  const runDir = mkdtempSync(join(tmpdir(), 'ml-run-'));
  try {
    let finalWeights: number[][] = [];
    const capture: TrainingHook = { end: (ctx) => { finalWeights = ctx.model.getWeights().map((w) => [...w.dataSync()]); } };
    const text = XOR.replace('epochs: 60', 'epochs: 5').replace('  seed: 1', '  seed: 1\n  callbacks:\n    checkpoint: {save: both, monitor: valAccuracy}');
    const sink = collect();
    const before = tf.memory().numTensors;
    await run(text, sink, { runDir, hooks: [capture] });
    assert.equal(tf.memory().numTensors, before);
    assert.deepEqual(readdirSync(join(runDir, 'checkpoints')).sort(), ['best', 'last']);
    const last = await tfl.loadLayersModel(fileModelHandler(join(runDir, 'checkpoints', 'last')));
    assert.deepEqual(last.getWeights().map((w) => [...w.dataSync()]), finalWeights);
    last.dispose();
    const best = JSON.parse(readFileSync(join(runDir, 'checkpoints', 'best', 'model.json'), 'utf8')).userDefinedMetadata.modelLab;
    const bestAcc = Math.max(...sink.epochs.map((e) => e.valAccuracy!));
    assert.equal(best.value, bestAcc);
    assert.equal(best.epoch, sink.epochs.find((e) => e.valAccuracy === bestAcc)!.epoch, 'the first epoch that reached the best');
  } finally {
    rmSync(runDir, { recursive: true, force: true });
  }
});

