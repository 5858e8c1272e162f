// JavaScript model files in the Problems panel: rule advice and training diagnostics, found on the
// generated model text, land on the JS token they are about (a layer call, an option inside it, a
// key of the `train` or `data` export), follow it through edits, and clear when it is edited.
// The worker sending them for a real file is in test/slow/jsWorker.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { checkJsModel, type TfModelLike } from '../../model/language/jsModel';
import { jsAnchorRange, jsFingerprint, toJsDiagnostics, toJsPath } from '../../model/language/jsAnchors';
import type { TrainingDiagnostic } from '../../protocol/stats';
import { at } from './helpers';
import { buildJsModel, jsModelFile } from './jsModelFixture';

const JS = jsModelFile('tf.layers.dense( in a comment is not a layer; neither is "learningRate: 1" in a string', `{
  loss: 'categoricalCrossentropy',
  optimizer: { sgd: { momentum: 0.9 } },
  learningRate: 3,
}`);
const KINDS = ['dense', 'dropout', 'dense'];

test('model-language paths become JS paths: the k-th call of a kind, train/data keys, else the model export', () => {
  assert.deepEqual(toJsPath(['model', 'layers', 2, 'dense', 'activation'], KINDS, JS), ['layers', 'dense', 1, 'activation']);
  assert.deepEqual(toJsPath(['model', 'layers', 1], KINDS, JS), ['layers', 'dropout', 0]);
  assert.deepEqual(toJsPath(['train', 'learningRate'], KINDS, JS), ['train', 'learningRate']);
  assert.deepEqual(toJsPath(['model', 'layers'], KINDS, JS), ['model']);
  assert.deepEqual(toJsPath(['model', 'input'], KINDS, JS), ['model']);
});

test('JS paths find their token: an option inside a call, a nested train key, the export when a key is missing', () => {
  const activation = at(JS, 'activation');
  assert.deepEqual(jsAnchorRange(JS, ['layers', 'dense', 1, 'activation']).start, activation);
  assert.deepEqual(jsAnchorRange(JS, ['layers', 'dense', 1]).start, at(JS, 'dense', activation.line));
  assert.deepEqual(jsAnchorRange(JS, ['layers', 'dropout', 0, 'rate']).start, at(JS, 'rate: 0.9'));
  // The key of this object, not the string in the comment above.
  assert.deepEqual(jsAnchorRange(JS, ['train', 'learningRate']), { start: at(JS, 'learningRate: 3'), end: { line: at(JS, 'learningRate: 3').line, character: at(JS, 'learningRate: 3').character + 12 } });
  assert.deepEqual(jsAnchorRange(JS, ['train', 'optimizer', 'sgd', 'momentum']).start, at(JS, 'momentum'));
  assert.deepEqual(jsAnchorRange(JS, ['train', 'epochs']).start, at(JS, 'train = {', 0), 'a key the file does not write: the export');
  assert.deepEqual(jsAnchorRange(JS, ['data', 'dataset']).start, at(JS, 'dataset'));
  assert.deepEqual(jsAnchorRange(JS, ['model']).start, at(JS, 'model(tf)'));
  assert.deepEqual(jsAnchorRange(JS, ['layers', 'conv2d', 0]).start, at(JS, 'model(tf)'), 'a call that is gone: the model export');
});

test('fingerprints change with the answering token only', () => {
  const lr = [['train', 'learningRate'], ['train', 'optimizer']];
  const before = jsFingerprint(JS, lr);
  assert.equal(jsFingerprint(`// a new comment\n${JS}`, lr), before, 'an edit elsewhere answers nothing');
  assert.equal(jsFingerprint(JS.replace('learningRate: 3,', 'learningRate:   3,'), lr), before, 'spacing answers nothing');
  assert.notEqual(jsFingerprint(JS.replace('learningRate: 3', 'learningRate: 0.1'), lr), before);
  assert.notEqual(jsFingerprint(JS.replace('momentum: 0.9', 'momentum: 0.5'), lr), before);
  const layer = [['layers', 'dense', 1]];
  assert.notEqual(jsFingerprint(JS.replace("'sigmoid'", "'softmax'"), layer), jsFingerprint(JS, layer));
  assert.equal(jsFingerprint(JS.replace('rate: 0.9', 'rate: 0.5'), layer), jsFingerprint(JS, layer));
});

test('training diagnostics move to the JS token, and follow it after lines are added above', () => {
  const draft = (anchor: (string | number)[], answers: (string | number)[][], code: string): TrainingDiagnostic => ({
    severity: 'warning', message: code, code, anchor, answers, range: { start: { line: 40, character: 0 }, end: { line: 40, character: 1 } },
  });
  const list = toJsDiagnostics([
    draft(['train', 'learningRate'], [['train', 'learningRate'], ['train', 'optimizer']], 'loss-not-finite'),
    draft(['model', 'layers', 0], [['model', 'layers', 0]], 'dead-relu'),
    draft(['model', 'layers', 1, 'dropout', 'rate'], [['train', 'epochs'], ['model', 'layers'], ['data']], 'overfitting'),
  ], KINDS, JS);
  assert.deepEqual(list.map((d) => d.range.start), [at(JS, 'learningRate: 3'), at(JS, 'dense({ inputShape'), at(JS, 'rate: 0.9')]);
  assert.deepEqual(list[1]?.anchor, ['layers', 'dense', 0]);
  const edited = `// two lines\n// above\n${JS}`;
  assert.deepEqual(jsAnchorRange(edited, list[0]!.anchor).start, at(edited, 'learningRate: 3'));
  assert.equal(jsFingerprint(edited, list[0]!.answers), list[0]!.answered);
  assert.notEqual(jsFingerprint(edited.replace("units: 32 }", "units: 32, activation: 'tanh' }"), list[1]!.answers), list[1]!.answered);
});

test('the rules\' advice on a built JS model carries JS anchors on the right tokens', async () => {
  await tf.setBackend('cpu');
  const model = buildJsModel();
  const r = checkJsModel(model as unknown as TfModelLike, { data: { dataset: 'digits' }, train: { loss: 'categoricalCrossentropy', optimizer: { sgd: { momentum: 0.9 } }, learningRate: 3 } }, JS, { name: 'js' });
  model.dispose();
  const on = (code: string) => r.advice.find((d) => d.code === code);
  assert.deepEqual(on('dropout-rate')?.range.start, at(JS, 'rate: 0.9'), JSON.stringify(r.advice.map((d) => [d.code, d.anchor])));
  assert.deepEqual(on('loss-activation')?.range.start.line, at(JS, "activation: 'sigmoid'").line);
  assert.deepEqual(on('learning-rate')?.range.start, at(JS, 'learningRate: 3'));
  assert.equal(r.advice.length, r.diagnostics.length, 'every rule diagnostic reaches the Problems panel');
  // Editing the dropout call answers its advice; editing the learning rate does not.
  const d = on('dropout-rate')!;
  assert.notEqual(jsFingerprint(JS.replace('rate: 0.9', 'rate: 0.3'), d.answers), d.answered);
  assert.equal(jsFingerprint(JS.replace('learningRate: 3', 'learningRate: 0.01'), d.answers), d.answered);
});
