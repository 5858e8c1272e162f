// Completion in YAML model files: what is offered where the cursor is, from the parser's own tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { completeYaml } from '../../model/completion/completion';
import { LAYER_NAMES } from '../../model/language/layers';
import { TOP_KEYS } from '../../model/language/parse';
import { ACTIVATIONS, INITIALIZERS, LOSSES, OPTIMIZERS } from '../../model/language/vocabulary';

/** Completions at the `|` in the text. */
function at(textWithCursor: string): string[] {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const before = text.slice(0, offset).split('\n');
  return completeYaml(text, before.length - 1, before[before.length - 1]?.length ?? 0).map((e) => e.label);
}

const HEAD = 'name: t\ndata:\n  dataset: xor\nmodel:\n  input: [2]\n  layers:\n';
const TAIL = '\ntrain:\n  loss: binaryCrossentropy\n';

test('a new list item under layers: offers every layer of the catalogue', () => {
  assert.deepEqual(at(`${HEAD}    - dense: {units: 8}\n    - |${TAIL}`).sort(), [...LAYER_NAMES].sort());
  assert.deepEqual(at(`${HEAD}    - de|${TAIL}`).sort(), [...LAYER_NAMES].sort());
});

test('inside a layer\'s flow map: that layer\'s options not yet written, then values for the option', () => {
  const keys = at(`${HEAD}    - conv2d: {filters: 8, |}${TAIL}`);
  assert.ok(keys.includes('kernelSize') && keys.includes('padding') && keys.includes('activation'), keys.join());
  assert.ok(!keys.includes('filters'), 'filters is already written');
  assert.ok(!keys.includes('units'), 'units is a dense option');
  assert.deepEqual(at(`${HEAD}    - dense: {units: 8, activation: |}${TAIL}`), [...ACTIVATIONS]);
  assert.deepEqual(at(`${HEAD}    - conv2d: {filters: 8, kernelSize: 3, padding: s|}${TAIL}`), ['valid', 'same']);
  assert.deepEqual(at(`${HEAD}    - dense: {units: 8, kernelInitializer: |}${TAIL}`), [...INITIALIZERS]);
  assert.deepEqual(at(`${HEAD}    - dense: {units: 8, kernelInitializer: {randomNormal: {|}}}${TAIL}`), ['mean', 'stddev']);
});

test('in a block-style layer: option keys of that layer, at the options\' indentation', () => {
  const keys = at(`${HEAD}    - dense:\n        units: 8\n        |${TAIL}`);
  assert.ok(keys.includes('activation') && keys.includes('kernelInitializer'), keys.join());
  assert.ok(!keys.includes('units'));
  assert.deepEqual(at(`${HEAD}    - dense:\n        units: 8\n        activation: |${TAIL}`), [...ACTIVATIONS]);
});

test('section keys, and values of train.loss and train.optimizer', () => {
  assert.deepEqual(at('|'), [...TOP_KEYS]);
  assert.ok(TOP_KEYS.includes('train'));
  const top = at(`name: t\n|`);
  assert.ok(top.includes('data') && top.includes('model') && top.includes('train') && !top.includes('name'), top.join());
  const train = at(`${HEAD}    - dense: {units: 1}\ntrain:\n  loss: binaryCrossentropy\n  |`);
  assert.ok(train.includes('optimizer') && train.includes('batchSize') && !train.includes('loss'), train.join());
  assert.deepEqual(at(`${HEAD}    - dense: {units: 1}\ntrain:\n  loss: |`), [...LOSSES]);
  assert.deepEqual(at(`${HEAD}    - dense: {units: 1}\ntrain:\n  optimizer: |`), ['adam', ...OPTIMIZERS.filter((o) => o !== 'adam')]);
  const text = `${HEAD}    - dense: {units: 1}\ntrain:\n  optimizer: `;
  const lines = text.split('\n');
  const [adam] = completeYaml(text, lines.length - 1, lines[lines.length - 1]?.length ?? 0);
  assert.equal(adam?.recommended, true);
  assert.match(adam?.detail ?? '', /^If unsure, use Adam/);
  const sgd = at(`${HEAD}    - dense: {units: 1}\ntrain:\n  optimizer: {sgd: {|}}`);
  assert.ok(sgd.includes('momentum') && sgd.includes('nesterov'), sgd.join());
  const model = at(`name: t\nmodel:\n  |`);
  assert.ok(model.includes('input') && model.includes('layers'), model.join());
  assert.ok(at(`data:\n  dataset: |`).includes('xor'));
});

test('a layer entry inserts its required options as a snippet', async () => {
  const { completeYaml: complete } = await import('../../model/completion/completion');
  const dense = complete(`${HEAD}    - `, 6, 6).find((e) => e.label === 'dense');
  assert.equal(dense?.snippet, 'dense: {units: ${1}}');
  assert.equal(complete(`${HEAD}    - `, 6, 6).find((e) => e.label === 'flatten')?.snippet, 'flatten');
});
