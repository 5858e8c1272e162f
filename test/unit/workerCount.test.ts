// How many workers train a run: train.workers auto against the bench's models, and a value it
// does not take reported on its line. Training with two workers is in test/slow/dataParallel.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel } from '../../model/language/parse';
import { chooseWorkers } from '../../engine/train/parallel/workerCount';
import { repo } from './helpers';
import { CNN, specOf } from './smallCnn';

test('train.workers: auto picks two workers for a convolution network and one for a small MLP', () => {
  const bench = (name: string, batch: number, extra = '') => {
    const text = readFileSync(join(repo, 'bench', 'models', `${name}.model.yaml`), 'utf8').replace('batchSize: 64', `batchSize: ${batch}${extra}`);
    return specOf(text);
  };
  assert.equal(chooseWorkers(bench('cnn', 64), 60000, 'wasm', { cores: 2 }).workers, 2);
  assert.equal(chooseWorkers(bench('mlp', 64), 60000, 'wasm', { cores: 2 }).workers, 1);
  assert.equal(chooseWorkers(bench('cnn', 64), 60000, 'wasm', { cores: 1 }).workers, 1, 'one core');
  assert.equal(chooseWorkers(bench('cnn', 64), 60000, 'cpu', { cores: 2 }).workers, 1, 'cpu backend');
  assert.equal(chooseWorkers(bench('cnn', 64), 200, 'wasm', { cores: 2 }).workers, 1, 'a run too short');
  assert.equal(chooseWorkers(bench('cnn', 64, ', workers: 1'), 60000, 'wasm', { cores: 2 }).workers, 1);
  assert.equal(chooseWorkers(bench('mlp', 64, ', workers: 2'), 60000, 'wasm', { cores: 2 }).workers, 2);
  assert.equal(chooseWorkers(bench('cnn', 64, ', workers: 2'), 60000, 'wasm', { cores: 2, customModel: true }).workers, 1, 'a JavaScript model file');
});

test('train.workers other than auto, 1 or 2 is reported on its line', () => {
  const r = parseModel(CNN.replace('workers: 2', 'workers: 3'), { checkData: false });
  const d = r.diagnostics.find((x) => x.message.includes('train.workers'));
  assert.ok(d, JSON.stringify(r.diagnostics));
  const line = CNN.split('\n').findIndex((l) => l.includes('workers: 2'));
  assert.equal(d.range.start.line, line);
});
