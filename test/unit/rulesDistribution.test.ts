// KL divergence compares probability distributions, so it needs a softmax output; the rule needs
// nothing from the data, so it fires for a built-in data set and for a CSV file alike.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../../model/language/parse';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
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

const outputCodes = (text: string) => parseModel(text, { checkData: false }).diagnostics.filter((d) => d.code === 'loss-activation' || d.code === 'regression-activation');

test('your own data: the output activation is checked against a cross-entropy loss for CSV, IDX and image folders too', () => {
  const csvBinary = csvModel('dense: {units: 1, activation: relu}').replace('kullbackLeiblerDivergence', 'binaryCrossentropy');
  assert.deepEqual(outputCodes(csvBinary).map((d) => d.code), ['loss-activation']);
  const images = (activation: string) => [
    'name: t', 'data:', '  images: pictures', 'model:', '  input: [8, 8, 1]', '  layers:', '    - flatten',
    `    - dense: {units: 3, activation: ${activation}}`, 'train:', '  loss: categoricalCrossentropy', '  optimizer: adam', '  epochs: 1', '',
  ].join('\n');
  assert.deepEqual(outputCodes(images('sigmoid')).map((d) => d.code), ['loss-activation']);
  assert.deepEqual(outputCodes(images('softmax')), []);
});

test('a CSV regression: an activation that cannot reach the targets is a warning on it, from the file\'s values', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-range-'));
  mkdirSync(join(dir, 'data'));
  writeFileSync(join(dir, 'data', 'points.csv'), 'a,b,c,d,label\n' + Array.from({ length: 40 }, (_, i) => `${i},1,2,3,${(i - 10) / 10}`).join('\n') + '\n');
  const file = join(dir, 'm.model.yaml');
  const text = (last: string) => csvModel(last).replace('kullbackLeiblerDivergence', 'meanSquaredError');
  const rangeOf = async (last: string) => (await parseModelWithDataFiles(text(last), { modelFile: file })).diagnostics.filter((d) => d.code === 'output-range');
  const [relu] = await rangeOf('dense: {units: 1, activation: relu}');
  assert.equal(relu?.severity, 'warning');
  assert.match(relu?.message ?? '', /targets run from -1 to 2.9, but relu only outputs values 0 or more/);
  assert.equal(relu?.range.start.line, text('dense: {units: 1, activation: relu}').split('\n').findIndex((l) => l.includes('activation: relu}') && l.includes('units: 1')));
  assert.equal((await rangeOf('dense: {units: 1, activation: sigmoid}')).length, 1);
  assert.deepEqual(await rangeOf('dense: {units: 1}'), []);
  writeFileSync(join(dir, 'data', 'points.csv'), 'a,b,c,d,label\n' + Array.from({ length: 40 }, (_, i) => `${i},1,2,3,${i / 40}`).join('\n') + '\n');
  assert.deepEqual(await rangeOf('dense: {units: 1, activation: sigmoid}'), [], 'targets within (0, 1): sigmoid can reach them');
});
