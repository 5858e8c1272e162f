// The model language's layers in the parser and the analysis: graph wiring errors on the right
// line, merge and shape messages, regularizer and initializer options, and the arithmetic of
// MACs, parameters and receptive fields for the new layer kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel, parseModelSection } from '../../model/language/parse';
import { LAYERS } from '../../model/language/layers';
import { example } from './helpers';

const arch = (layers: string, input = '[8, 8, 3]') => parseModelSection(`model:\n  input: ${input}\n  layers:\n${layers}`);
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const errors = (r: { diagnostics: { severity: string; code: string; message: string; range: { start: { line: number } } }[] }) => r.diagnostics.filter((d) => d.severity === 'error');

test('every layer has a doc line and descriptive option types', () => {
  for (const [name, def] of Object.entries(LAYERS)) {
    assert.ok(def.doc.length > 20, `${name} has a doc line`);
    for (const req of def.required) assert.ok(def.options[req], `${name}.${req} is an option`);
  }
});

test('a skip connection: add joins two layers by id; the summary follows the graph', () => {
  const r = arch([
    '    - conv2d: {id: a, filters: 4, kernelSize: 3, padding: same}',
    '    - conv2d: {filters: 4, kernelSize: 3, padding: same}',
    '    - add: {inputs: [a, conv2d_2]}',
    '    - concatenate: {inputs: [add_3, input]}',
    '    - globalAveragePooling2d',
  ].join('\n') + '\n');
  assert.deepEqual(errors(r), []);
  const s = r.summary;
  assert.ok(s);
  assert.deepEqual(s.layers.map((l) => l.outputShape), [[8, 8, 4], [8, 8, 4], [8, 8, 4], [8, 8, 7], [7]]);
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [3, 5, 5, 5, undefined], 'merges keep the widest branch');
  assert.equal(s.layers[2]?.otherOps, 8 * 8 * 4, 'one addition per output');
});

test('graph errors land on the inputs line: unknown id, a layer below (cycle), its own id, wrong number of inputs', () => {
  const cases: [string, RegExp][] = [
    ['    - dense: {units: 2, inputs: [nope]}\n', /No layer has the id 'nope'. Ids here: input/],
    ['    - dense: {units: 2, id: a, inputs: [b]}\n    - dense: {units: 2, id: b, inputs: [a]}\n', /Layer 'b' is defined after 'a'.*no cycles/],
    ['    - dense: {units: 2, id: a, inputs: [a]}\n', /cannot take its own output \(a cycle\)/],
    ['    - dense: {units: 2, id: a}\n    - add: {inputs: [a]}\n', /add joins two or more layers/],
    ['    - dense: {units: 2, id: a}\n    - dense: {units: 2, inputs: [a, input]}\n', /dense takes exactly one input; it has 2/],
  ];
  for (const [layers, message] of cases) {
    const r = arch(layers, '[4]');
    const e = errors(r).find((d) => d.code === 'bad-inputs');
    assert.ok(e, `${layers}: ${JSON.stringify(r.diagnostics)}`);
    assert.match(e.message, message);
    const text = `model:\n  input: [4]\n  layers:\n${layers}`;
    assert.equal(e.range.start.line, lineOf(text, 'inputs: ['), 'on the line of the inputs');
    assert.equal(r.summary, undefined);
  }
});

test('incompatible shapes at a merge are errors on the merge layer, saying what to do', () => {
  const r = arch('    - conv2d: {id: a, filters: 4, kernelSize: 3}\n    - add: {inputs: [a, input]}\n');
  const e = errors(r).find((d) => d.code === 'shape');
  assert.ok(e);
  assert.match(e.message, /add needs inputs of the same shape; it gets \[6, 6, 4\], \[8, 8, 3\].*1x1 conv2d/);
  assert.equal(e.range.start.line, 4);
  const c = arch('    - conv2d: {id: a, filters: 4, kernelSize: 3}\n    - concatenate: {inputs: [a, input]}\n');
  assert.match(errors(c)[0]?.message ?? '', /concatenate along axis -1 needs inputs that agree on every other axis/);
  const g = arch('    - groupNormalization: {groups: 2}\n');
  assert.match(errors(g)[0]?.message ?? '', /3 channels do not split into 2 equal groups/);
  assert.equal(arch('    - reshape: {targetShape: [5, -1]}\n').diagnostics[0]?.message, 'reshape cannot fit 192 values ([8, 8, 3]) into [5, -1].');
  assert.match(arch("    - dense: {units: 2, id: input}\n").diagnostics[0]?.message ?? '', /'input' names the model's input/);
});

test('MACs: depthwise = outputs * kH*kW; separable = depthwise + pointwise; transposed per input position; bias adds apart', () => {
  const s = arch([
    '    - depthwiseConv2d: {kernelSize: 3, depthMultiplier: 2, padding: same}',
    '    - separableConv2d: {filters: 8, kernelSize: 3, strides: 2, padding: same}',
    '    - conv2dTranspose: {filters: 2, kernelSize: 3, strides: 2, padding: same}',
    '    - maxout: {units: 3, pieces: 4}',
  ].join('\n') + '\n').summary;
  assert.ok(s);
  const [dw, sep, tr, mo] = s.layers as [NonNullable<typeof s>['layers'][0], typeof s.layers[0], typeof s.layers[0], typeof s.layers[0]];
  assert.deepEqual(dw.outputShape, [8, 8, 6]);
  assert.equal(dw.params, 3 * 3 * 6 + 6);
  assert.equal(dw.macs, 8 * 8 * 6 * 9);
  assert.equal(dw.biasAdds, 8 * 8 * 6);
  assert.deepEqual(sep.outputShape, [4, 4, 8]);
  assert.equal(sep.params, 9 * 6 + 6 * 8 + 8);
  assert.equal(sep.macs, 4 * 4 * 6 * 9 + 4 * 4 * 6 * 8);
  assert.deepEqual(tr.outputShape, [8, 8, 2]);
  assert.equal(tr.macs, 4 * 4 * 8 * 9 * 2);
  assert.deepEqual(mo.outputShape, [8, 8, 3]);
  assert.equal(mo.params, 2 * 12 + 12);
  assert.equal(mo.receptiveField, tr.receptiveField, 'maxout works per position, like a 1x1 conv');
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [3, 5, 7, 7], 'stride 2 doubles the jump; the transposed conv halves it again');
});

test('batch norm: 4 per channel, 2 of them (moving mean and variance) not trainable; trainable: false freezes a layer', () => {
  const s = arch('    - batchNormalization\n    - conv2d: {filters: 2, kernelSize: 1, trainable: false}\n').summary;
  assert.ok(s);
  assert.equal(s.layers[0]?.params, 12);
  assert.equal(s.layers[0]?.nonTrainableParams, 6);
  assert.equal(s.totals.params, 12 + 8);
  assert.equal(s.totals.trainableParams, 6);
});

test('regularizers and initializers: per layer, model-wide, Keras and tfjs spellings, clear errors', () => {
  const base = example('digits-l1.model.yaml');
  const ok = parseModel(base.replace('input: [64]', 'input: [64]\n  regularizer: {l2: 0.0001}').replace('activation: relu,', 'activation: relu, kernelInitializer: lecunNormal, biasInitializer: {orthogonal: {gain: 1}},'));
  assert.deepEqual(ok.diagnostics.filter((d) => d.severity === 'error'), []);
  assert.deepEqual(ok.spec?.model.regularizer, { l2: 0.0001 });
  assert.deepEqual(ok.spec?.model.layers[0]?.config.kernelRegularizer, { l1: 0.001 });
  assert.deepEqual(ok.spec?.model.layers[0]?.config.kernelInitializer, { name: 'lecunNormal', options: {} });
  const cases: [string, RegExp][] = [
    ['{l1: 0.001}', /./],
    ['{l3: 0.001}', /Unknown key 'l3'.*Did you mean 'l1'/],
    ['{l1: -1}', /kernelRegularizer.l1 must be >= 0/],
    ['{}', /needs l1, l2 or both/],
    ['0.01', /must be a map/],
  ];
  for (const [value, message] of cases.slice(1)) {
    const text = base.replace('{l1: 0.001}', value);
    const e = parseModel(text).diagnostics.find((d) => d.severity === 'error');
    assert.ok(e, value);
    assert.match(e.message, message);
    assert.equal(e.range.start.line, lineOf(text, 'kernelRegularizer'));
  }
});

test('architecture files: shapes and counts, no complaint about missing data or train', async () => {
  const { editorDiagnostics, isArchitectureFile } = await import('../../model/language/architecture');
  const vgg = example('architectures/vgg16.model.yaml');
  assert.equal(isArchitectureFile(vgg), true);
  assert.deepEqual(editorDiagnostics(vgg, {}).filter((d) => d.severity === 'error'), []);
  assert.ok(parseModel(vgg).diagnostics.some((d) => /needs a 'data' section/.test(d.message)), 'a full parse would complain');
  const broken = vgg.replace('kernelSize: 3, padding: same, activation: relu}\n    - maxPooling2d', 'kernelSize: 300, activation: relu}\n    - maxPooling2d');
  assert.match(editorDiagnostics(broken, {})[0]?.message ?? '', /A 300x300 kernel does not fit a 224x224 input/);
  assert.equal(isArchitectureFile(example('digits-cnn.model.yaml')), false);
  assert.ok(editorDiagnostics('model:\n  input: [2]\n  layers: [dense: {units: 1}]\ntrain: {loss: meanSquaredError}\n', {}).some((d) => /needs a 'data' section/.test(d.message)), 'with a train section, the data section is missing');
});
