// `id:` (or inputs, trainable) written on the line below a layer's key, as Keras users write it, is
// read as if it were inside the layer's options; any other key there gets a message that says where
// it belongs, instead of the list of every layer name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';

const file = (layers: string[]) => [
  'name: t', 'data:', '  dataset: digits', 'model:', '  input: [8, 8, 1]', '  layers:', ...layers,
  '    - flatten', '    - dense: {units: 10, activation: softmax}', 'train:', '  loss: categoricalCrossentropy', '  optimizer: adam', '  epochs: 1', '',
].join('\n');

test('id and inputs beside the layer key are the layer\'s own', () => {
  const r = parseModel(file([
    '    - conv2d: {filters: 4, kernelSize: 3, activation: relu}',
    '      id: c1',
    '    - maxPooling2d: {poolSize: 2}',
    '      inputs: [c1]',
  ]));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(r.spec);
  const [conv, pool] = r.spec.model.layers;
  assert.equal(conv?.id, 'c1');
  assert.equal(conv?.kind, 'conv2d');
  assert.equal(conv?.range.start.line, 6, 'the layer is on its key');
  assert.equal(conv?.optionRanges.id?.start.line, 7);
  assert.deepEqual(pool?.inputs, ['c1']);
});

test('another key beside the layer says where it goes, on that key', () => {
  const text = file(['    - conv2d: {filters: 4, kernelSize: 3}', '      strides: 2']);
  const [d] = parseModel(text).diagnostics.filter((x) => x.severity === 'error');
  assert.equal(d?.range.start.line, 7);
  assert.match(d?.message ?? '', /^'strides' belongs inside the layer's options: conv2d: \{strides: \.\.\., \.\.\.\}\.$/);
});

test('an id both beside and inside is reported', () => {
  const text = file(['    - conv2d: {filters: 4, kernelSize: 3, id: a}', '      id: b']);
  assert.ok(parseModel(text).diagnostics.some((d) => d.code === 'duplicate-key' && d.range.start.line === 7));
});
