// JavaScript model files run by the training worker: a CommonJS and an ES module file trained end
// to end, a file without model() reported, and a file's advice, errors and NaN-loss diagnostic sent
// on its own lines. Slow tier: each is a worker run with real training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { jsFingerprint } from '../../model/language/jsAnchors';
import { at, repo } from '../unit/helpers';
import { runWorkerToEnd } from '../unit/workerRun';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('the worker trains a CommonJS model file from its own model(tf)', { timeout: 120_000 }, async () => {
  const file = join(repo, 'examples', 'js', 'xor.model.js');
  const source = readFileSync(file, 'utf8').replace('epochs: 60', 'epochs: 30').replace("activation: 'tanh' }", "activation: 'tanh', kernelInitializer: 'heNormal' }");
  const messages = await runWorkerToEnd('js1', file, source);
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done', JSON.stringify(messages.filter((m) => m.type !== 'progress')).slice(0, 800));
  assert.equal(done.summary.status, 'completed');
  const started = messages.find((m) => m.type === 'started');
  assert.equal(started?.type === 'started' && started.info.totalParams, 33);
  assert.equal(started?.type === 'started' && started.info.epochs, 30);
  const advice = messages.find((m) => m.type === 'log' && m.message.includes('[init-activation]'));
  assert.ok(advice && advice.type === 'log', 'the rule about heNormal with tanh comes back as a log line');
  assert.match(advice.message, new RegExp(`xor\\.model\\.js:${lineOf(source, 'heNormal') + 1}:`));
  const acc = done.summary.final?.valAccuracy ?? done.summary.final?.accuracy ?? 0;
  assert.ok(acc > 0.8, `xor learned (accuracy ${acc})`);
});

test('the worker trains an ES module model file with a skip connection, and reports a file without model()', { timeout: 120_000 }, async () => {
  const file = join(repo, 'examples', 'js', 'moons-esm.model.mjs');
  const messages = await runWorkerToEnd('js1', file, readFileSync(file, 'utf8'));
  const done = messages.find((m) => m.type === 'done');
  assert.ok(done && done.type === 'done' && done.summary.status === 'completed', JSON.stringify(messages.filter((m) => m.type !== 'progress')).slice(0, 800));
  const bad = await runWorkerToEnd('js1', join(repo, 'examples', 'js', 'nothing.model.js'), 'module.exports = { data: {} };');
  const err = bad.find((m) => m.type === 'error');
  assert.ok(err && err.type === 'error' && /must export a function model\(tf\)/.test(err.message), JSON.stringify(bad));
});

test('the worker sends a JS file\'s advice, its errors and its NaN-loss diagnostic on the file\'s own lines', { timeout: 120_000 }, async () => {
  const file = join(repo, 'examples', 'js', 'xor.model.js');
  const xor = readFileSync(file, 'utf8');
  // An error stops the run before training, and still reaches the Problems panel on its line.
  const refused = await runWorkerToEnd('js-anchors', file, xor.replace('learningRate: 0.05', 'learningRate: 1e30'));
  const errors = refused.flatMap((m) => (m.type === 'diagnostics' ? m.list : []));
  assert.deepEqual(errors.map((d) => [d.code, d.range.start.line]), [['out-of-range', at(xor, 'learningRate').line]]);
  assert.ok(refused.some((m) => m.type === 'error'));

  const source = xor.replace('learningRate: 0.05', 'learningRate: 100').replace("optimizer: 'adam'", "optimizer: 'sgd'")
    .replace("loss: 'binaryCrossentropy'", "loss: 'meanSquaredError'").replace("activation: 'sigmoid'", "activation: 'linear'")
    .replace("activation: 'tanh' }", "activation: 'tanh', kernelInitializer: 'heNormal' }").replace('epochs: 60', 'epochs: 3');
  const messages = await runWorkerToEnd('js-anchors', file, source);
  const lists = messages.flatMap((m) => (m.type === 'diagnostics' ? [m.list] : []));
  const last = lists[lists.length - 1] ?? [];
  const on = (code: string) => last.find((d) => d.code === code);
  assert.deepEqual(on('init-activation')?.range.start, at(source, 'kernelInitializer'), JSON.stringify(lists).slice(0, 1500));
  assert.ok(lists[0]?.some((d) => d.code === 'init-activation'), 'the advice comes before training');
  const nan = on('loss-not-finite');
  assert.ok(nan, JSON.stringify(last.map((d) => d.code)));
  assert.deepEqual(nan.anchor, ['train', 'learningRate']);
  assert.deepEqual(nan.range.start, at(source, 'learningRate: 100'));
  assert.notEqual(jsFingerprint(source.replace('learningRate: 100', 'learningRate: 0.05'), nan.answers), nan.answered, 'lowering the rate answers it');
});
