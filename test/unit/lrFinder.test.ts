// The learning-rate range test: the sweep through the real loop, the suggestion, the edit that
// writes the chosen rate into the model file, and the panel's message validation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BatchPoint } from '../../protocol/run';
import { asHostToLrFinder, asLrFinderToHost } from '../../protocol/lrFinder';
import { asHostToWorker } from '../../protocol/worker';
import { learningRateEdit } from '../../model/language/learningRateEdit';
import { parseModel } from '../../model/language/parse';
import { useBackend } from '../../engine/train/backend';
import { train } from '../../engine/train/loop';
import { lrFinderRun, suggestLearningRate, sweepRate } from '../../engine/train/lrFinder';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, example, wasmDir, XOR } from './helpers';

const SWEEP = { minLearningRate: 1e-6, maxLearningRate: 10, steps: 120 };

test('the sweep on digits: rates grow exponentially, it stops once the loss blows up, the suggestion is a sane rate', async () => {
  await useBackend('wasm', wasmDir);
  const spec = parseModel(example('digits.model.yaml')).spec!;
  const finder = lrFinderRun(spec, SWEEP, neverCancelled);
  const batches: BatchPoint[] = [];
  const before = tf.memory().numTensors;
  const summary = await train(finder.spec, {
    runId: 'lr', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: finder.token, hooks: [finder.hook],
    sink: { started() {}, batch: (b) => batches.push(b), epoch() {}, log() {} },
  });
  assert.equal(tf.memory().numTensors, before);
  assert.notEqual(summary.status, 'completed', 'the sweep stops itself');
  assert.ok(batches.length > 20 && batches.length <= SWEEP.steps, `${batches.length} steps`);
  batches.forEach((b, i) => assert.equal(b.learningRate, sweepRate(SWEEP, i)));
  assert.equal(batches[0]!.learningRate, 1e-6);
  const last = batches.at(-1)!;
  assert.ok(!Number.isFinite(last.loss) || last.loss > 2 * Math.min(...batches.map((b) => b.loss)), 'it ran until the loss blew up');
  const s = suggestLearningRate(batches.map((b) => ({ learningRate: b.learningRate!, loss: b.loss })))!;
  // Adam on this MLP trains well from 1e-3 to 1e-2 (the example uses 5e-3).
  assert.ok(s.steepest > 1e-4 && s.steepest < 0.1, `steepest ${s.steepest}`);
  assert.ok(s.minimum > s.steepest, `minimum ${s.minimum} after the steepest ${s.steepest}`);
});

test('the suggestion is where a synthetic loss curve falls fastest', () => {
  // loss = 2 - tanh(2 * (log10(lr) + 3)) + explosion past 1: steepest at 1e-3.
  const pts = Array.from({ length: 100 }, (_, i) => {
    const lr = 1e-6 * 10 ** (i / 14);
    const x = Math.log10(lr);
    return { learningRate: lr, loss: 2 - Math.tanh(2 * (x + 3)) + (x > 0 ? 10 * x : 0) };
  });
  const s = suggestLearningRate(pts)!;
  assert.ok(Math.abs(Math.log10(s.steepest) + 3) < 0.3, `steepest ${s.steepest}`);
  assert.ok(s.minimum > 0.1 && s.minimum < 10, `minimum ${s.minimum}`);
});

test('writing the rate: replaces train.learningRate, or the optimizer option, or adds the key', () => {
  const replaced = learningRateEdit(XOR, 0.00312345, false)!;
  assert.equal(replaced.newText, '0.00312');
  const line = XOR.split('\n')[replaced.range.start.line]!;
  assert.equal(line.slice(replaced.range.start.character, replaced.range.end.character), '0.05');
  const inner = XOR.replace('  optimizer: adam', '  optimizer: {adam: {learningRate: 0.2}}').replace(/  learningRate: 0.05\n/, '');
  const e2 = learningRateEdit(inner, 0.01, false)!;
  assert.equal(apply(inner, e2).includes('{adam: {learningRate: 0.01}}'), true);
  const none = XOR.replace(/  learningRate: 0.05\n/, '');
  const added = apply(none, learningRateEdit(none, 0.003, false)!);
  assert.equal(parseModel(added).spec?.train.learningRate, 0.003);
  const json = JSON.stringify({ name: 'x', data: { dataset: 'xor' }, model: { input: [2], layers: [{ dense: { units: 1, activation: 'sigmoid' } }] }, train: { loss: 'binaryCrossentropy' } }, null, 2);
  const jsonAdded = apply(json, learningRateEdit(json, 0.02, true)!);
  assert.equal(JSON.parse(jsonAdded).train.learningRate, 0.02);
});

function apply(text: string, e: { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }): number => lines.slice(0, p.line).reduce((a, l) => a + l.length + 1, 0) + p.character;
  return text.slice(0, offset(e.range.start)) + e.newText + text.slice(offset(e.range.end));
}

test('messages: the worker takes an lrFinder start, the panel takes views and apply requests, and rejects the rest', () => {
  const start = { type: 'start', runId: 'r', source: '', modelFile: '', assetsDir: '', backend: 'auto', lrFinder: SWEEP, runDir: '/tmp/x' };
  assert.ok(asHostToWorker(start));
  assert.equal(asHostToWorker({ ...start, lrFinder: { minLearningRate: 'a' } }), undefined);
  assert.equal(asHostToWorker({ ...start, runDir: 3 }), undefined);
  const view = { name: 'n', status: 'done', points: [{ learningRate: 1e-3, loss: NaN }], current: 0.01, suggestion: { steepest: 1e-3, minimum: 1e-2 } };
  assert.ok(asHostToLrFinder({ type: 'show', view }));
  assert.equal(asHostToLrFinder({ type: 'show', view: { ...view, status: 'odd' } }), undefined);
  assert.deepEqual(asLrFinderToHost({ type: 'apply', learningRate: 0.01 }), { type: 'apply', learningRate: 0.01 });
  assert.equal(asLrFinderToHost({ type: 'apply', learningRate: -1 }), undefined);
  assert.equal(asLrFinderToHost({ type: 'apply', learningRate: 'x' }), undefined);
});
