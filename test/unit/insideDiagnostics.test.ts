// Training diagnostics: each rule on hand-made histories, the anchors that follow edits and clear
// when answered, and the examples in examples/inside/ that each show one problem.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { parseSource } from '../../model/language/source';
import { diagnose } from '../../engine/stats/diagnose';
import { anchorRange, fingerprint } from '../../model/language/anchors';
import { example, XOR } from './helpers';
import { trainWithStats } from './statsHelpers';

const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
const lineOf = (text: string, needle: string, from = 0): number => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle));
const epoch = (e: number, loss: number, valLoss?: number): EpochPoint => ({ epoch: e, loss, ...(valLoss !== undefined ? { valLoss } : {}), learningRate: 0.05, samplesPerSec: 1, elapsedMs: 1 });

test('divergence: a loss rising for three epochs from the start is on learningRate', () => {
  const spec = specOf(XOR);
  const [d] = diagnose({ spec, epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 3), epoch(4, 5)] });
  assert.equal(d?.code, 'loss-diverging');
  assert.equal(d?.range.start.line, lineOf(XOR, 'learningRate:'));
  assert.match(d?.message ?? '', /rose for 3 epochs from the start \(1 → 5\)/);
  assert.equal(diagnose({ spec, epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 1.5), epoch(4, 5)] }).length, 0);
});

test('overfitting: val loss up 5 epochs after its best while train loss falls, on epochs and on layers', () => {
  const spec = specOf(XOR);
  const epochs = [0.9, 0.7, 0.5, 0.6, 0.65, 0.7, 0.72, 0.75].map((v, i) => epoch(i + 1, 1 - i * 0.1, v));
  const list = diagnose({ spec, epochs });
  assert.deepEqual(list.map((d) => d.code), ['overfitting', 'overfitting']);
  assert.equal(list[0]?.range.start.line, lineOf(XOR, 'epochs:'));
  assert.equal(list[1]?.range.start.line, lineOf(XOR, 'layers:'));
  assert.match(list[0]?.message ?? '', /from epoch 3/);
  assert.equal(diagnose({ spec, epochs: epochs.slice(0, 7) }).length, 0, 'four epochs after the best is not yet overfitting');
});

test('a diagnostic follows its token through edits and clears when its answer changes', () => {
  const [d] = diagnose({ spec: specOf(XOR), epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 3), epoch(4, 5)] });
  assert.ok(d);
  const moved = `# a comment\n${XOR.replace('epochs: 60', 'epochs: 70')}`;
  const root = parseSource(moved).root;
  assert.equal(fingerprint(root, d.answers), d.answered, 'epochs do not answer a learning-rate problem');
  assert.equal(anchorRange(root, d.anchor).start.line, lineOf(XOR, 'learningRate:') + 1);
  const fixed = parseSource(XOR.replace('learningRate: 0.05', 'learningRate: 0.005')).root;
  assert.notEqual(fingerprint(fixed, d.answers), d.answered);
});

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

test('overfitting: a rise within the noise of the validation set, or without a growing gap, is not called', () => {
  const spec = specOf(XOR);
  const rising = [0.9, 0.7, 0.5, 0.6, 0.65, 0.7, 0.72, 0.75];
  const noisy = rising.map((v, i) => ({ ...epoch(i + 1, 1 - i * 0.1, v), valLossChangeSE: 0.2 }));
  assert.deepEqual(diagnose({ spec, epochs: noisy }).filter((d) => d.code === 'overfitting'), [], 'a 0.25 rise with a standard error of 0.2');
  const clear = rising.map((v, i) => ({ ...epoch(i + 1, 1 - i * 0.1, v), valLossChangeSE: 0.05 }));
  assert.equal(diagnose({ spec, epochs: clear }).filter((d) => d.code === 'overfitting').length, 2, 'a 0.25 rise with a standard error of 0.05');
  // Training loss falling slower than validation loss rises is needed too: the same rise with the gap shrinking is not.
  const closing = rising.map((v, i) => ({ ...epoch(i + 1, i < 2 ? 1 : 0.4 + i * 0.05, v), valLossChangeSE: 0 }));
  assert.deepEqual(diagnose({ spec, epochs: closing }).filter((d) => d.code === 'overfitting'), []);
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
