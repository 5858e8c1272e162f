// Schedules and callbacks in real training runs: the rate the steps used, early stopping,
// reduce-on-plateau, checkpoints that load back with tf.loadLayersModel, and the snapshot ensemble.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { BatchPoint, EpochPoint, RunInfo } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { useBackend } from '../../engine/train/backend';
import { fileModelHandler } from '../../engine/train/callbacks/fileModelHandler';
import { earlyStoppingHook } from '../../engine/train/callbacks/earlyStopping';
import { scheduleHook } from '../../engine/train/callbacks/scheduleHook';
import type { LoopContext, TrainingHook, TrainingSink } from '../../engine/train/hooks';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { plannedLearningRate } from '../../engine/train/schedules';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, example, wasmDir, XOR } from './helpers';

function collect(): TrainingSink & { batches: BatchPoint[]; epochs: EpochPoint[]; logs: string[]; tensors: number[]; info?: RunInfo } {
  const sink = {
    batches: [] as BatchPoint[], epochs: [] as EpochPoint[], logs: [] as string[], tensors: [] as number[], info: undefined as RunInfo | undefined,
    started: (i: RunInfo) => { sink.info = i; },
    batch: (b: BatchPoint) => { sink.batches.push(b); },
    epoch: (e: EpochPoint) => { sink.epochs.push(e); sink.tensors.push(tf.memory().numTensors); },
    log: (_l: string, m: string) => { sink.logs.push(m); },
  };
  return sink;
}

const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
/** Trains as the worker does: the hooks the model file asks for, then the test's own. */
const run = (text: string, sink: TrainingSink, extra: { runDir?: string; hooks?: TrainingHook[] } = {}) => {
  const spec = specOf(text);
  const hooks = [...standardHooks(spec, { runDir: extra.runDir }), ...(extra.hooks ?? [])];
  return train(spec, { runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, sink, hooks });
};

test('warmup + cosine on digits: every step used the planned rate, and the run learns', async () => {
  await useBackend('wasm', wasmDir);
  const text = example('digits-warmup-cosine.model.yaml').replace('epochs: 20', 'epochs: 4');
  const spec = specOf(text);
  const sink = collect();
  const before = tf.memory().numTensors;
  const summary = await run(text, sink);
  assert.equal(summary.status, 'completed');
  assert.equal(tf.memory().numTensors, before);
  const info = sink.info!;
  const plan = { baseLearningRate: 0.05, stepsPerEpoch: info.batchesPerEpoch, totalSteps: info.batchesPerEpoch * 4 };
  for (const b of sink.batches) assert.equal(b.learningRate, plannedLearningRate(spec.train.schedule!, plan, b.step - 1), `step ${b.step}`);
  assert.ok(sink.batches[0]!.learningRate! < 0.002, 'warmup starts low');
  assert.ok(Math.abs(Math.max(...sink.batches.map((b) => b.learningRate!)) - 0.05) < 1e-3, 'peaks at the base rate');
  assert.ok(sink.batches.at(-1)!.learningRate! < 0.001, 'ends near alpha * lr');
  assert.ok((sink.epochs.at(-1)!.valAccuracy ?? 0) > 0.9);
});

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

test('snapshot ensemble (digits, cyclic rate): the averaged snapshots beat the last single snapshot on validation accuracy', async () => {
  await useBackend('wasm', wasmDir);
  const sink = collect();
  const before = tf.memory().numTensors;
  const runDir = mkdtempSync(join(tmpdir(), 'ml-snap-'));
  await run(example('digits-snapshot-ensemble.model.yaml'), sink, { runDir });
  assert.equal(tf.memory().numTensors, before, 'snapshots are released at the end');
  // Each cycle's snapshot was saved as a model. The run ends at a cycle's end, so the last snapshot
  // is the trained model the run exported (<run>/model): both load back and predict the same.
  const saved = readdirSync(join(runDir, 'snapshots')).sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1]));
  assert.equal(saved.length, sink.epochs.length / 2, `one snapshot per 2-epoch cycle: ${saved}`);
  const lastSnapshot = await tfl.loadLayersModel(fileModelHandler(join(runDir, 'snapshots', saved.at(-1)!)));
  const final = await tfl.loadLayersModel(fileModelHandler(join(runDir, 'model')));
  const probe = tf.randomUniform([4, ...(lastSnapshot.inputs[0]!.shape.slice(1) as number[])], 0, 16, 'float32', 3);
  const p = lastSnapshot.predict(probe) as tf.Tensor;
  const q = final.predict(probe) as tf.Tensor;
  assert.deepEqual(p.shape, [4, 10]);
  assert.deepEqual(Array.from(p.dataSync()), Array.from(q.dataSync()));
  tf.dispose([probe, p, q]);
  lastSnapshot.dispose();
  final.dispose();
  rmSync(runDir, { recursive: true, force: true });
  // Cycles are 2 epochs: a snapshot at every even epoch; the last epoch ends a cycle, so the final
  // model is the last snapshot and its valAccuracy is that snapshot's.
  assert.equal(sink.epochs[0]!.ensembleValAccuracy, undefined);
  assert.equal(sink.epochs[1]!.ensembleSize, 1);
  assert.equal(sink.epochs[1]!.ensembleValAccuracy, sink.epochs[1]!.valAccuracy, 'one snapshot: the ensemble is the model');
  const last = sink.epochs.at(-1)!;
  assert.equal(last.ensembleSize, 5);
  assert.ok(last.ensembleValAccuracy! > last.valAccuracy!, `ensemble ${last.ensembleValAccuracy} vs last snapshot ${last.valAccuracy}`);
  // The snapshots kept (at most 5 prediction tensors) do not grow once the ensemble is full.
  assert.deepEqual(new Set(sink.tensors.slice(9)).size, 1, `tensors per epoch: ${sink.tensors}`);
});
