// Data-parallel training on two worker threads (engine/train/parallel): the replicas stay bit-identical,
// and the run matches one-worker training within float32 rounding. Slow tier: each trains on worker
// threads. The choice of the worker count is in test/unit/workerCount.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BatchPoint, RunInfo } from '../../protocol/run';
import type { Dataset } from '../../engine/data/dataset';
import { useBackend } from '../../engine/train/backend';
import { buildModel } from '../../engine/train/buildModel';
import { lossFn } from '../../engine/train/losses';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { makeOptimizer } from '../../engine/train/optimizer';
import { DataParallel } from '../../engine/train/parallel/dataParallel';
import { BatchAssembler, encode } from '../../engine/train/tensors';
import { neverCancelled } from '../../common/cancellation';
import { makeRng } from '../../common/random';
import { datasetsDir, wasmDir } from '../unit/helpers';
import { CNN, specOf } from '../unit/smallCnn';

function randomData(shape: number[], n: number, classes: number): Dataset {
  const rng = makeRng(9);
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: 'random', shape, classes, task: 'multiclass', n,
    x: Float32Array.from({ length: n * size }, () => rng() * 2 - 1),
    y: Float32Array.from({ length: n }, () => Math.floor(rng() * classes)),
  };
}

// With batch normalisation too: its moving statistics are averaged after every step like the gradients.
const CNN_BN = CNN.replace('    - maxPooling2d: {poolSize: 2}\n', '    - batchNormalization: {}\n    - maxPooling2d: {poolSize: 2}\n');

for (const [what, text] of [['conv net', CNN], ['conv net with batch normalisation', CNN_BN]] as const) test(`two replicas stay byte-identical after many steps, odd half batches included (${what})`, async () => {
  assert.notEqual(CNN_BN, CNN);
  await useBackend('wasm', wasmDir);
  const spec = specOf(text);
  const set = encode(randomData([9, 9, 2], 60, 3), spec.model.input, 3);
  const model = buildModel(spec);
  const optimizer = makeOptimizer(spec.train, 'wasm');
  const before = tf.memory().numTensors;
  const dp = await DataParallel.start({ spec, model, optimizer, loss: lossFn(spec.train.loss), wantAcc: true, set, batches: new BatchAssembler(set), wasmDir });
  const initial = model.getWeights().map((w) => w.dataSync().slice());
  for (let s = 0; s < 12; s++) {
    // 13 rows (7 + 6), then a last batch of 8: unequal and equal halves.
    const idx = Int32Array.from({ length: s % 4 === 3 ? 8 : 13 }, (_, i) => (s * 13 + i * 7) % 60);
    const [loss, acc] = dp.step(idx);
    assert.ok(Number.isFinite(loss) && acc !== undefined && acc >= 0 && acc <= 1, `step ${s}: ${loss} ${acc}`);
  }
  const theirs = await dp.replicaWeights();
  await dp.dispose();
  const ours = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  assert.equal(theirs.length, ours.length);
  ours.forEach((w, i) => {
    assert.deepEqual(Buffer.from((theirs[i] as Float32Array).buffer), Buffer.from(w.buffer), `weight ${i} differs between the replicas`);
    assert.notDeepEqual(w, initial[i], `weight ${i} was trained`);
  });
  assert.equal(tf.memory().numTensors, before + 0, 'the steps leak no tensor');
  optimizer.dispose();
  model.dispose();
});

test('two-worker training follows one-worker training (losses within float32 rounding)', async () => {
  const runs: { batches: BatchPoint[]; info?: RunInfo }[] = [];
  for (const workers of [1, 2]) {
    const spec = specOf(CNN.replace('workers: 2', `workers: ${workers}`));
    const got: { batches: BatchPoint[]; info?: RunInfo } = { batches: [] };
    const summary = await train(spec, {
      runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, data: randomData([9, 9, 2], 90, 3), hooks: standardHooks(spec),
      sink: { started: (i) => { got.info = i; }, batch: (p) => got.batches.push(p), epoch: () => {}, log: () => {} },
    });
    assert.equal(summary.status, 'completed', summary.error);
    runs.push(got);
  }
  const [one, two] = runs as [typeof runs[0], typeof runs[0]];
  assert.equal(one.info?.workers, 1);
  assert.equal(two.info?.workers, 2);
  assert.equal(two.batches.length, one.batches.length);
  one.batches.forEach((p, i) => {
    const q = two.batches[i] as BatchPoint;
    assert.ok(Math.abs(p.loss - q.loss) <= 1e-5 * Math.max(1, Math.abs(p.loss)), `step ${i + 1}: loss ${p.loss} (one worker) vs ${q.loss} (two)`);
    assert.ok(Math.abs((p.accuracy ?? 0) - (q.accuracy ?? 0)) < 1e-9, `step ${i + 1}: accuracy`);
  });
  assert.ok((one.batches[0]?.loss ?? 0) - (one.batches.at(-1)?.loss ?? 0) !== 0, 'the loss moved');
});
