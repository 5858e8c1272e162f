import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';
import { XOR } from './helpers';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('the xor example parses into a full spec with defaults filled in', () => {
  const r = parseModel(XOR);
  assert.deepEqual(r.diagnostics, []);
  assert.ok(r.spec);
  assert.equal(r.spec.name, 'xor');
  assert.deepEqual(r.spec.model.input, [2]);
  assert.equal(r.spec.model.layers.length, 2);
  assert.equal(r.spec.model.layers[0]?.config.units, 8);
  assert.deepEqual(r.spec.train.optimizer, { name: 'adam', options: {} });
  assert.equal(r.spec.train.learningRate, 0.05);
  assert.equal(r.summary?.totalParams, 2 * 8 + 8 + 8 + 1);
});

test('a typo in a layer name is an error on that key, naming the valid layers and the likely one', () => {
  const text = XOR.replace('- dense: {units: 8', '- dens: {units: 8');
  const r = parseModel(text);
  assert.equal(r.spec, undefined);
  const d = r.diagnostics.find((x) => x.code === 'unknown-layer');
  assert.ok(d, JSON.stringify(r.diagnostics));
  assert.equal(d.severity, 'error');
  const line = lineOf(text, '- dens:');
  assert.deepEqual(d.range.start, { line, character: text.split('\n')[line]!.indexOf('dens') });
  assert.deepEqual(d.range.end, { line, character: text.split('\n')[line]!.indexOf('dens') + 4 });
  assert.match(d.message, /Did you mean 'dense'\?/);
  assert.match(d.message, /Valid layers: dense, conv2d, maxPooling2d, flatten, dropout/);
});

test('wrong types and impossible values point at the value and say what is expected', () => {
  const cases: [string, string, RegExp][] = [
    ['units: 8', 'units: -8', /dense.units must be >= 1 and <= 1000000; got -8/],
    ['units: 8', 'units: eight', /dense.units must be an integer >= 1 and <= 1000000, not 'eight'/],
    ['units: 8', 'units: 2.5', /must be an integer/],
    ['learningRate: 0.05', 'learningRate: 0', /train.learningRate must be > 0/],
    ['validationSplit: 0.2', 'validationSplit: 1', /must be >= 0 and < 1; got 1/],
    ['activation: tanh', 'activation: tanhh', /must be one of: .*; got 'tanhh'. Did you mean 'tanh'\?/],
    ['loss: binaryCrossentropy', 'loss: crossentropy', /train.loss must be one of: meanSquaredError, binaryCrossentropy, categoricalCrossentropy/],
    ['dataset: xor ', 'dataset: xorr ', /data.dataset must be one of: xor, circles, moons, spirals, blobs, linear, checkerboard, sine, polynomial, digits, iris, mnist; got 'xorr'. Did you mean 'xor'\?/],
    ['optimizer: adam ', 'optimizer: {sgd: {momentum: 1.5}} ', /sgd.momentum must be >= 0 and < 1; got 1.5/],
  ];
  for (const [from, to, message] of cases) {
    const text = XOR.replace(from, to);
    assert.notEqual(text, XOR, `fixture did not change for ${to}`);
    const r = parseModel(text);
    const d = r.diagnostics.find((x) => message.test(x.message));
    assert.ok(d, `${to}: ${JSON.stringify(r.diagnostics.map((x) => x.message))}`);
    const line = lineOf(text, to.trim());
    assert.equal(d.range.start.line, line, `${to} on line ${line}`);
    const col = text.split('\n')[line]!.indexOf(to.split(': ').pop()!.trim().replace(/ .*/, ''));
    assert.ok(d.range.start.character >= col - 1, `${to}: column ${d.range.start.character} vs ${col}`);
    assert.equal(r.spec, undefined);
  }
});

test('unknown keys are reported with a suggestion', () => {
  const r = parseModel(XOR.replace('batchSize: 32', 'batchsize: 32'));
  const d = r.diagnostics.find((x) => x.code === 'unknown-key');
  assert.match(d?.message ?? '', /Unknown key 'batchsize' in train. Did you mean 'batchSize'\?/);
});

test('missing sections and a non-map file are errors, not exceptions', () => {
  assert.match(parseModel('name: x\n').diagnostics.map((d) => d.message).join('\n'), /needs a 'data' section[\s\S]*needs a 'model' section[\s\S]*needs a 'train' section/);
  assert.match(parseModel('- just\n- a list\n').diagnostics[0]?.message ?? '', /must be a map/);
  assert.match(parseModel('').diagnostics[0]?.message ?? '', /empty/);
  const syntax = parseModel('name: x\ndata: [1, 2\n');
  assert.equal(syntax.diagnostics[0]?.code, 'syntax');
});

test('JSON model files parse with exact ranges too', () => {
  const json = JSON.stringify({
    name: 'j', data: { dataset: 'circles' }, model: { layers: [{ dense: { units: 4, activation: 'relu' } }, { dense: { units: 1, activation: 'sigmoidd' } }] },
    train: { loss: 'binaryCrossentropy', epochs: 3 },
  }, null, 2);
  const r = parseModel(json);
  const d = r.diagnostics.find((x) => /sigmoidd/.test(x.message));
  assert.ok(d);
  assert.equal(d.range.start.line, lineOf(json, '"sigmoidd"'));
  assert.deepEqual(parseModel(json.replace('sigmoidd', 'sigmoid')).spec?.model.input, [2], 'input defaults to the data set shape');
});

test('the model must fit its data and loss: errors on the line to change', () => {
  const units = parseModel(XOR.replace('{units: 1, activation: sigmoid}', '{units: 3, activation: sigmoid}'));
  const d = units.diagnostics.find((x) => x.code === 'output-units');
  assert.match(d?.message ?? '', /binaryCrossentropy needs 1 output unit/);
  assert.equal(d?.range.start.line, lineOf(XOR, '{units: 1, activation: sigmoid}'));

  const input = parseModel(XOR.replace('input: [2]', 'input: [3]'));
  assert.match(input.diagnostics.find((x) => x.code === 'input-shape')?.message ?? '', /'xor' examples have shape \[2\]/);

  const noSoftmax = parseModel(XOR.replace('dataset: xor ', 'dataset: digits ').replace('  noise: 0.05\n', '').replace('input: [2]', 'input: [64]').replace('{units: 1, activation: sigmoid}', '{units: 10, activation: relu}').replace('binaryCrossentropy', 'categoricalCrossentropy'));
  const w = noSoftmax.diagnostics.find((x) => x.code === 'loss-activation');
  assert.equal(w?.severity, 'warning');
  assert.match(w?.message ?? '', /end with activation: softmax/);
  assert.ok(noSoftmax.spec, 'a warning does not block training');
});

test('conv stacks: output shapes, kernels that do not fit, and rank errors', () => {
  const conv = (layers: string) => parseModel(`data: {dataset: digits}\nmodel:\n  input: [8, 8, 1]\n  layers:\n${layers}\ntrain: {loss: categoricalCrossentropy}\n`);
  const ok = conv('    - conv2d: {filters: 4, kernelSize: 3}\n    - maxPooling2d: {poolSize: 2, strides: 1}\n    - flatten\n    - dense: {units: 10, activation: softmax}');
  assert.deepEqual(ok.summary?.layers.map((l) => l.outputShape), [[6, 6, 4], [5, 5, 4], [100], [10]]);
  assert.equal(ok.summary?.layers[0]?.params, 3 * 3 * 1 * 4 + 4);
  const tooBig = conv('    - conv2d: {filters: 4, kernelSize: 9}\n    - flatten\n    - dense: {units: 10, activation: softmax}');
  assert.match(tooBig.diagnostics.find((d) => d.code === 'shape')?.message ?? '', /9x9 kernel does not fit a 8x8 input/);
  const rank = parseModel(XOR.replace('- dense: {units: 8, activation: tanh}', '- conv2d: {filters: 2, kernelSize: 1}'));
  assert.match(rank.diagnostics.find((d) => d.code === 'shape')?.message ?? '', /conv2d needs a 3-D input/);
});

test('inputs: unknown ids and layers defined later (cycles) are errors on the inputs value', () => {
  const unknown = parseModel(XOR.replace('{units: 1, activation: sigmoid}', '{units: 1, activation: sigmoid, inputs: [nope]}'));
  assert.match(unknown.diagnostics.find((d) => d.code === 'bad-inputs')?.message ?? '', /No layer has the id 'nope'/);
  const later = parseModel(XOR.replace('{units: 8, activation: tanh}', '{units: 8, activation: tanh, id: a, inputs: [b]}').replace('{units: 1, activation: sigmoid}', '{units: 1, activation: sigmoid, id: b}'));
  assert.match(later.diagnostics.find((d) => d.code === 'bad-inputs')?.message ?? '', /defined after/);
});

test('the parser never throws on hostile input', () => {
  const inputs = ['{{{{', '- - - -', 'a: &x [1]\nb: *x', '\u0000\u0001', 'x: .nan', '[' .repeat(200) + ']'.repeat(200), 'model: {layers: [dense]}', 'train: {epochs: 1e400}'];
  for (const text of inputs) {
    const r = parseModel(text);
    assert.ok(Array.isArray(r.diagnostics));
    assert.ok(r.diagnostics.length > 0, `no diagnostic for ${JSON.stringify(text)}`);
  }
});
