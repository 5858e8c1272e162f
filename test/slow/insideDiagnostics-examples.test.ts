// The examples in examples/inside/ trained with statistics on: each gives the training diagnostic
// it was written to show, on the line it is about. Slow tier: each is a real training.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { example } from '../unit/helpers';
import { trainWithStats } from '../unit/statsHelpers';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('examples/inside/tiny-init: the init-scale warning is on each too-small initializer', async () => {
  const text = example('inside/tiny-init.model.yaml');
  const { diagnostics } = await trainWithStats(text);
  const init = diagnostics.filter((d) => d.code === 'init-scale');
  assert.equal(init.length, 5, JSON.stringify(diagnostics.map((d) => d.message)));
  const first = lineOf(text, '- dense: {units: 64');
  assert.deepEqual(init.map((d) => d.range.start.line), [first, first + 1, first + 2, first + 3, first + 4]);
  assert.equal(text.split('\n')[first]?.slice(init[0]?.range.start.character).startsWith('kernelInitializer'), true);
  assert.match(init[0]?.message ?? '', /'dense_1' have std 0\.0\d+, \d+(\.\d+)?× too small for relu \(He target/);
});

test('examples/inside/big-init-tanh: saturated tanh units, named on the layer line', async () => {
  const text = example('inside/big-init-tanh.model.yaml');
  const { diagnostics } = await trainWithStats(text);
  const sat = diagnostics.find((d) => d.code === 'saturated');
  assert.ok(sat, JSON.stringify(diagnostics.map((d) => d.message)));
  assert.match(sat.message, /of the tanh outputs of 'dense_2' are saturated/);
  assert.equal(sat.range.start.line, lineOf(text, '- dense: {units: 32') + 1);
  assert.ok(diagnostics.some((d) => d.code === 'init-scale' && /too large for tanh/.test(d.message)));
});

test('examples/inside/nan-loss: the run stops at the batch and the error is on learningRate', async () => {
  const text = example('inside/nan-loss.model.yaml');
  const { diagnostics, status } = await trainWithStats(text);
  assert.equal(status, 'failed');
  const d = diagnostics.find((x) => x.code === 'loss-not-finite');
  assert.ok(d);
  assert.equal(d.severity, 'error');
  assert.equal(d.range.start.line, lineOf(text, 'learningRate: 100'));
  assert.match(d.message, /The loss became (NaN|Infinity) at epoch 1, batch \d+: the learning rate 100 .* The last finite loss was/);
});

test('examples/inside/overfit fires the overfitting warning; the same run with dropout does not', async () => {
  const text = example('inside/overfit.model.yaml');
  const over = await trainWithStats(text);
  const list = over.diagnostics.filter((d) => d.code === 'overfitting');
  assert.equal(list.length, 2, JSON.stringify(over.diagnostics.map((d) => d.message)));
  assert.equal(list[0]?.range.start.line, lineOf(text, 'epochs:'));
  assert.match(list[0]?.message ?? '', /Overfitting from epoch \d+/);
  const regular = await trainWithStats(example('inside/overfit-dropout.model.yaml'));
  assert.deepEqual(regular.diagnostics.filter((d) => d.code === 'overfitting'), []);
});

test('examples/inside/deep-sigmoid: the first layer gets a vanishing gradient warning', async () => {
  const text = example('inside/deep-sigmoid.model.yaml');
  const { diagnostics, stats } = await trainWithStats(text);
  const d = diagnostics.find((x) => x.code === 'vanishing-gradient');
  assert.ok(d, JSON.stringify(diagnostics.map((x) => x.message)));
  assert.equal(d.range.start.line, lineOf(text, '- dense: {units: 16'));
  assert.match(d.message, /'dense_1' gets .* of the gradient/);
  const last = stats[stats.length - 1];
  const rms = last?.layers.map((l) => l.gradRms ?? 0) ?? [];
  assert.ok((rms[0] ?? 1) < (rms[9] ?? 0) * 1e-3, `gradient RMS by depth: ${rms}`);
});
