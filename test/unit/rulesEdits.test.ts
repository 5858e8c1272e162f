// Quick fixes keep the file's style: a block map gets a new indented line, JSON gets quoted keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';
import { applyEdits } from './rulesHelpers';

const fixOf = (text: string, code: string) => parseModel(text).diagnostics.find((d) => d.code === code)?.fixes?.[0];

test('adding an option to a block-style layer writes a new line at the options\' indentation', () => {
  const text = ['data: {dataset: xor}', 'model:', '  input: [2]', '  layers:', '    - dense:', '        units: 8', '    - dense: {units: 1, activation: sigmoid}', 'train: {loss: binaryCrossentropy, learningRate: 0.01}', ''].join('\n');
  const fix = fixOf(text, 'linear-stack');
  assert.ok(fix);
  const fixed = applyEdits(text, fix.edits);
  assert.match(fixed, /    - dense:\n        units: 8\n        activation: relu\n/);
  assert.equal(parseModel(fixed).diagnostics.length, 0, JSON.stringify(parseModel(fixed).diagnostics));
});

test('fixes in a JSON model file quote the values and keys they write', () => {
  const text = JSON.stringify({
    data: { dataset: 'digits' },
    model: { input: [64], layers: [{ dense: { units: 32 } }, { dense: { units: 10, activation: 'sigmoid' } }] },
    train: { loss: 'categoricalCrossentropy', learningRate: 0.01 },
  }, null, 2);
  const activation = fixOf(text, 'loss-activation');
  assert.ok(activation);
  const stack = fixOf(text, 'linear-stack');
  assert.ok(stack);
  const fixed = applyEdits(applyEdits(text, activation.edits), parseModel(applyEdits(text, activation.edits)).diagnostics.find((d) => d.code === 'linear-stack')?.fixes?.[0]?.edits ?? []);
  assert.doesNotThrow(() => JSON.parse(fixed), fixed);
  const parsed = JSON.parse(fixed) as { model: { layers: Record<string, Record<string, unknown>>[] } };
  assert.equal(parsed.model.layers[1]?.dense?.activation, 'softmax');
  assert.equal(parsed.model.layers[0]?.dense?.activation, 'relu');
  assert.deepEqual(parseModel(fixed).diagnostics, []);
});

test('a bare layer name gets its options map when a fix adds one', () => {
  const text = ['data: {dataset: xor}', 'model:', '  input: [2]', '  layers:', '    - dense: {units: 8, activation: relu}', '    - dropout: {rate: 0.9}', '    - dense: {units: 1, activation: sigmoid}', 'train: {loss: binaryCrossentropy, learningRate: 0.01}', ''].join('\n');
  const fix = fixOf(text, 'dropout-rate');
  assert.ok(fix);
  assert.match(applyEdits(text, fix.edits), /- dropout: \{rate: 0\.5\}/);
});
