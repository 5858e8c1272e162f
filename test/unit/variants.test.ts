// Variants: the numeric hyperparameters found in a model file (with their ranges), a variant that
// changes one and keeps the rest of the text, and `sweep:` sections read, checked and expanded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findHyperParams, parseKeyPath, scaled, withValues } from '../../model/variants/hyperparams';
import { countRuns, expandSweep, readSweep } from '../../model/variants/sweep';
import { parseModel } from '../../model/language/parse';
import { XOR } from './helpers';

test('hyperparameters of xor: where they are and what x0.1 / x10 make of them', () => {
  const found = findHyperParams(XOR);
  const keys = found.map((p) => p.path.join('.'));
  assert.deepEqual(keys, ['data.samples', 'data.noise', 'model.layers.0.dense.units', 'model.layers.1.dense.units', 'train.learningRate', 'train.batchSize', 'train.epochs']);
  const lr = found.find((p) => p.key === 'learningRate')!;
  const line = XOR.split('\n')[lr.range.start.line]!;
  assert.equal(line.slice(lr.range.start.character, lr.range.end.character), '0.05', 'the range is the value text');
  assert.equal(scaled(lr, 10), 0.5);
  assert.equal(scaled(lr, 0.1), 0.005);
  const units = found.find((p) => p.key === 'units')!;
  assert.equal(scaled(units, 0.1), 1, 'integers stay whole and at least 1');
  assert.equal(scaled({ value: 32, integer: true }, 10), 320);
});

test('a variant changes one value, renames the run, and keeps comments and other keys', () => {
  const v = withValues(XOR, [{ path: ['train', 'learningRate'], value: 0.5 }], 'xor-learningRate-x10');
  assert.match(v, /# One hidden tanh layer/);
  const spec = parseModel(v).spec;
  assert.equal(spec?.train.learningRate, 0.5);
  assert.equal(spec?.name, 'xor-learningRate-x10');
  assert.equal(spec?.train.epochs, 60);
  assert.deepEqual(parseKeyPath('model.layers[0].dense.units'), ['model', 'layers', 0, 'dense', 'units']);
  assert.equal(parseKeyPath('model..x'), undefined);
});

test('grid sweep: every combination, each a valid model; the sweep section is not in the runs', () => {
  const text = `${XOR}\nsweep:\n  method: grid\n  params:\n    train.learningRate: [0.01, 0.1, 0.3]\n    model.layers[0].dense.units: [4, 8]\n`;
  assert.deepEqual(parseModel(text).diagnostics.filter((d) => d.severity === 'error'), [], 'the model parser accepts sweep:');
  const { sweep, diagnostics } = readSweep(text);
  assert.deepEqual(diagnostics, []);
  assert.ok(sweep);
  assert.equal(countRuns(sweep), 6);
  const runs = expandSweep(text, sweep);
  assert.deepEqual(runs.map((r) => r.values.map((v) => v.value)), [[0.01, 4], [0.01, 8], [0.1, 4], [0.1, 8], [0.3, 4], [0.3, 8]]);
  assert.deepEqual(runs.map((r) => r.name).slice(0, 2), ['xor-sweep1', 'xor-sweep2']);
  for (const r of runs) {
    const spec = parseModel(r.source).spec;
    assert.ok(spec, r.name);
    assert.doesNotMatch(r.source, /sweep:/);
  }
  assert.equal(parseModel(runs[5]!.source).summary?.totalParams, 2 * 8 + 8 + 8 + 1);
});

test('random sweep: seeded draws in the ranges, log-uniform when asked', () => {
  const text = `${XOR}\nsweep:\n  method: random\n  samples: 20\n  seed: 7\n  params:\n    train.learningRate: {min: 0.001, max: 1, log: true}\n    train.batchSize: [16, 32, 64]\n`;
  const { sweep } = readSweep(text);
  assert.ok(sweep);
  const a = expandSweep(text, sweep);
  const b = expandSweep(text, sweep);
  assert.deepEqual(a.map((r) => r.values), b.map((r) => r.values), 'same seed, same runs');
  const lrs = a.map((r) => r.values[0]!.value as number);
  assert.ok(lrs.every((v) => v >= 0.001 && v <= 1));
  assert.ok(lrs.filter((v) => v < 0.03).length >= 5, `log-uniform puts about half below 0.03: ${lrs.join(', ')}`);
  assert.ok(a.every((r) => [16, 32, 64].includes(r.values[1]!.value as number)));
});

test('sweep mistakes are reported on their line', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));
  const cases: [string, RegExp, string][] = [
    ['sweep:\n  params:\n    train.learningRat: [1, 2]\n', /no value at train\.learningRat/, 'train.learningRat'],
    ['sweep:\n  params:\n    train.learningRate: {min: 0.1, max: 1}\n', /needs method: random/, 'min: 0.1'],
    ['sweep:\n  method: best\n  params:\n    train.learningRate: [1]\n', /'grid' .* or 'random'/, 'method: best'],
    ['sweep:\n  param:\n    train.learningRate: [1]\n', /Unknown sweep key 'param'/, 'param:'],
    ['sweep:\n  params:\n    train.learningRate: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n    train.batchSize: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n', /110 runs; at most 100/, 'train.learningRate'],
  ];
  for (const [sweepText, message, needle] of cases) {
    const text = `${XOR}\n${sweepText}`;
    const { sweep, diagnostics } = readSweep(text);
    assert.equal(sweep, undefined);
    const d = diagnostics.find((x) => message.test(x.message));
    assert.ok(d, `${message} in ${JSON.stringify(diagnostics.map((x) => x.message))}`);
    assert.equal(d.range.start.line, lineOf(text, needle), `${message} on the line of ${needle}`);
  }
  assert.deepEqual(readSweep(XOR), { diagnostics: [] }, 'no sweep: nothing to say');
});
