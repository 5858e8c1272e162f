// The training loop in this process: seeds, tensor counts, cancellation, divergence, the built
// models' sizes, a conv net on wasm and cpu, the fallback without Model Lab's kernels. Full trainings
// of the examples (XOR to the end, the digits MLP) are in test/slow/training-examples.test.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { buildModel } from '../../engine/train/buildModel';
import { useBackend } from '../../engine/train/backend';
import { registerTrainingKernels, unregisterTrainingKernels } from '../../engine/train/kernels/register';
import { CancellationSource } from '../../common/cancellation';
import { example, wasmDir, XOR } from './helpers';
import { collect, opts, run, specOf } from './trainingHelpers';

// As the runs of the extension do: the wasm backend is started before anything trains.
before(async () => {
  await useBackend('wasm', wasmDir);
});

test('the same seed gives the same run; batch points carry fractional epochs', async () => {
  const short = XOR.replace('epochs: 60', 'epochs: 3');
  const a = collect();
  const b = collect();
  await run(specOf(short), opts(a));
  await run(specOf(short), opts(b));
  assert.deepEqual(a.batches.map((p) => p.loss), b.batches.map((p) => p.loss));
  assert.deepEqual(a.batches.slice(0, 2).map((p) => p.x), [0.1, 0.2]);
  const c = collect();
  await run(specOf(short.replace('seed: 1', 'seed: 2')), opts(c));
  assert.notDeepEqual(a.batches.map((p) => p.loss), c.batches.map((p) => p.loss));
});

test('tensors stay flat across epochs, not only at the end', async () => {
  const counts: number[] = [];
  const sink = { ...collect(), epoch: () => { counts.push(tf.memory().numTensors); } };
  await run(specOf(XOR.replace('epochs: 60', 'epochs: 8')), opts(sink));
  assert.equal(new Set(counts).size, 1, `numTensors per epoch: ${counts}`);
});

test('the loop runs the hooks it is given and no others: statistics and early stopping only when the caller passes them', async () => {
  const text = XOR.replace('epochs: 60', 'epochs: 4').replace('  seed: 1', '  seed: 1\n  callbacks:\n    earlyStopping: {monitor: loss, patience: 1, minDelta: 100}');
  const counted = () => {
    const sink = { ...collect(), records: 0, stats: () => { sink.records++; } };
    return sink;
  };
  const bare = counted();
  const bareSummary = await run(specOf(text), { ...opts(bare), hooks: [] });
  assert.equal(bare.records, 0, 'no statistics without the statistics hook');
  assert.equal(bareSummary.epochsDone, 4, 'no early stopping without its hook');
  const standard = counted();
  const standardSummary = await run(specOf(text), opts(standard));
  assert.ok(standard.records > 0, 'standardHooks brings the statistics the model file asks for');
  assert.equal(standardSummary.epochsDone, 2, 'and its early stopping');
});

test('cancellation stops between batches with status stopped', async () => {
  const cancel = new CancellationSource();
  const sink = { ...collect(), epoch: (e: EpochPoint) => { if (e.epoch === 2) cancel.cancel(); } };
  const summary = await run(specOf(XOR), opts(sink, cancel.token));
  assert.equal(summary.status, 'stopped');
  assert.equal(summary.epochsDone, 2);
});

test('a diverging learning rate ends the run as failed with a message naming it', async () => {
  const text = XOR.replace('learningRate: 0.05', 'learningRate: 100').replace('optimizer: adam ', 'optimizer: sgd ').replace('binaryCrossentropy', 'meanSquaredError').replace('activation: sigmoid', 'activation: linear').replace('activation: tanh', 'activation: relu');
  const summary = await run(specOf(text), opts(collect()));
  assert.equal(summary.status, 'failed');
  assert.match(summary.error ?? '', /The loss became (NaN|Infinity) at epoch \d+, batch \d+: the learning rate \(100\)/);
});

test('parameter counts from the spec analysis match the built tfjs models', () => {
  for (const name of ['xor.model.yaml', 'digits.model.yaml', 'digits-cnn.model.yaml']) {
    const r = parseModel(example(name));
    assert.ok(r.spec && r.summary, name);
    const model = buildModel(r.spec);
    assert.equal(model.countParams(), r.summary.totalParams, name);
    assert.deepEqual(model.outputs[0]?.shape.slice(1), r.summary.outputShape, name);
    model.layers.slice(1).forEach((layer, i) => assert.deepEqual((layer.outputShape as number[]).slice(1), r.summary?.layers[i]?.outputShape, `${name} ${layer.name}`));
    model.dispose();
  }
});

test('a conv model trains on wasm, identically to the cpu backend', async () => {
  const text = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 1').replace('validationSplit: 0.2', 'validationSplit: 0.2\n  samples: 300');
  const wasm = collect();
  const cpu = collect();
  const logs: string[] = [];
  await run(specOf(text), opts(wasm));
  const summary = await run(specOf(text), { ...opts({ ...cpu, log: (_l, m) => logs.push(m) }), backend: 'cpu' });
  assert.equal(summary.status, 'completed');
  assert.equal(wasm.info?.backend, 'wasm');
  assert.equal(cpu.info?.backend, 'cpu');
  assert.match(logs.join('\n'), /cpu: chosen explicitly/);
  const a = wasm.batches.map((b) => b.loss);
  const b = cpu.batches.map((p) => p.loss);
  assert.equal(a.length, b.length);
  a.forEach((v, i) => assert.ok(Math.abs(v - (b[i] as number)) <= 1e-3 * Math.max(1, Math.abs(v)), `batch ${i}: wasm ${v} vs cpu ${b[i]}`));
});

test('without Model Lab\'s kernels, a conv model falls back to cpu naming the kernel; asked for wasm, it fails naming it', async () => {
  const text = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 1').replace('validationSplit: 0.2', 'validationSplit: 0.2\n  samples: 100');
  process.env.MODEL_LAB_STOCK_KERNELS = '1';
  unregisterTrainingKernels();
  try {
    const sink = collect();
    const logs: string[] = [];
    const summary = await run(specOf(text), opts({ ...sink, log: (_l, m) => logs.push(m) }));
    assert.equal(summary.status, 'completed');
    assert.equal(sink.info?.backend, 'cpu');
    assert.match(sink.info?.backendNote ?? '', /the wasm backend has no Conv2DBackpropFilter kernel/);
    assert.match(logs.join('\n'), /Conv2DBackpropFilter/);
    await assert.rejects(run(specOf(text), { ...opts(collect()), backend: 'wasm' }), /The wasm backend has no Conv2DBackpropFilter kernel, which this model needs to train/);
  } finally {
    delete process.env.MODEL_LAB_STOCK_KERNELS;
    registerTrainingKernels();
  }
  const again = collect();
  await run(specOf(text), opts(again));
  assert.equal(again.info?.backend, 'wasm', 'with the kernels back, wasm trains it');
});
