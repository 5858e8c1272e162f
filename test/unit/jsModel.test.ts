// JavaScript model files: the built tfjs model is read back into the model language, checked by
// the same rules, and every message lands on the line of the `tf.layers.<kind>(` call that made
// the layer. The worker training such a file end to end is in test/slow/jsWorker.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { checkJsModel, kindOfClassName, type TfModelLike } from '../../model/language/jsModel';
import { layerCallSites, mapLayersToSites } from '../../model/language/jsModelLines';
import { buildJsModel, jsModelFile } from './jsModelFixture';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

const JS = jsModelFile('tf.layers.conv2d( in a comment is not a layer', "{ loss: 'categoricalCrossentropy', learningRate: 3 }");

test('class names map to the model language\'s layer kinds', () => {
  assert.equal(kindOfClassName('Dense'), 'dense');
  assert.equal(kindOfClassName('Conv2D'), 'conv2d');
  assert.equal(kindOfClassName('MaxPooling2D'), 'maxPooling2d');
  assert.equal(kindOfClassName('BatchNormalization'), 'batchNormalization');
  assert.equal(kindOfClassName('ReLU'), 'reLU');
});

test('call sites are found in code only, in order, and layers map to them by kind', () => {
  const sites = layerCallSites(JS);
  assert.deepEqual(sites.map((s) => s.kind), ['dense', 'dropout', 'dense']);
  assert.equal(sites[0]?.range.start.line, lineOf(JS, 'units: 32'));
  assert.equal(sites[0]?.range.start.character, JS.split('\n')[lineOf(JS, 'units: 32')]!.indexOf('dense'));
  // A loop that makes several layers from one call: they all map to that call.
  const loop = 'for (let i = 0; i < 3; i++) m.add(tf.layers.dense({units: 8}));\nm.add(tf.layers.dense({units: 1}));';
  const ranges = mapLayersToSites(['dense', 'dense', 'dense', 'dense'], layerCallSites(loop));
  assert.deepEqual(ranges.map((r) => r?.start.line), [0, 1, 1, 1]);
});

test('rules on a built JS model land on the lines of the calls and exports they are about', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  const model = buildJsModel();
  const r = checkJsModel(model as unknown as TfModelLike, { data: { dataset: 'digits' }, train: { loss: 'categoricalCrossentropy', learningRate: 3 } }, JS, { name: 'js' });
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
  const on = (code: string) => r.diagnostics.find((d) => d.code === code);
  assert.equal(on('linear-stack')?.range.start.line, lineOf(JS, 'units: 32'), JSON.stringify(r.diagnostics));
  assert.equal(on('dropout-rate')?.range.start.line, lineOf(JS, 'rate: 0.9'));
  assert.equal(on('loss-activation')?.range.start.line, lineOf(JS, "activation: 'sigmoid'"));
  assert.equal(on('learning-rate')?.range.start.line, lineOf(JS, 'const train'));
  assert.ok(r.diagnostics.every((d) => !d.fixes), 'fixes edit the generated JSON, so none reach the JS file');
  assert.ok(r.spec, 'warnings only: the model trains');
});
