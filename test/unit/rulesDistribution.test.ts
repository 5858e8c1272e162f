// KL divergence compares probability distributions, so it needs a softmax output; the rule needs
// nothing from the data, so it fires for a built-in data set and for a CSV file alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';
import { applyEdits, model } from './rulesHelpers';

const digits = { dataset: 'digits', input: '[64]', loss: 'kullbackLeiblerDivergence' };
const csvModel = (lastLayer: string): string => [
  'name: t',
  'data:',
  '  csv: data/points.csv',
  '  target: label',
  'model:',
  '  input: [4]',
  '  layers:',
  '    - dense: {units: 8, activation: relu}',
  `    - ${lastLayer}`,
  'train:',
  '  loss: kullbackLeiblerDivergence',
  '  optimizer: adam',
  '  epochs: 1',
  '',
].join('\n');

const klWarnings = (text: string) =>
  parseModel(text, { checkData: false }).diagnostics.filter((d) => d.code === 'loss-activation' && d.message.includes('kullbackLeiblerDivergence'));

test('kullbackLeiblerDivergence on a linear output warns on the last layer; softmax, as an option or a layer, is quiet', () => {
  const fires = model({ ...digits, layers: ['dense: {units: 10}'] });
  const found = klWarnings(fires);
  assert.equal(found.length, 1);
  assert.equal(found[0]?.range.start.line, fires.split('\n').findIndex((l) => l.includes('units: 10')));
  assert.deepEqual(klWarnings(model({ ...digits, layers: ['dense: {units: 10, activation: softmax}'] })), []);
  assert.deepEqual(klWarnings(model({ ...digits, layers: ['dense: {units: 10}', 'softmax'] })), []);
});

test('the KL rule fires for a CSV data source too, and its quick fix silences it without errors', () => {
  const fires = csvModel('dense: {units: 3, activation: sigmoid}');
  const [warning] = klWarnings(fires);
  assert.ok(warning, 'no KL warning on a CSV model');
  const fix = warning.fixes?.[0];
  assert.ok(fix, 'no quick fix');
  const fixed = applyEdits(fires, fix.edits);
  assert.match(fixed, /activation: softmax/);
  assert.deepEqual(klWarnings(fixed), []);
  assert.deepEqual(parseModel(fixed, { checkData: false }).diagnostics.filter((d) => d.severity === 'error'), []);
});
