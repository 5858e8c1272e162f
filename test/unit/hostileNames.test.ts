// Workspace text as names (any string in a model file may be hostile): a layer id that is HTML (or
// starts with any character tfjs refuses in a weight name) still builds a model, under a tfjs name
// of safe characters, and the Keras export names the layer the same way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { layerName } from '../../engine/export/kerasLayers';
import { parseModel } from '../../model/language/parse';
import { buildNetwork } from '../../engine/train/buildModel';
import { sanitize } from '../../engine/train/layerFactory';

const HOSTILE = '<img src=x onerror="document.body.dataset.pwned=1">';

test('a layer id made of HTML builds a model whose weight names tfjs accepts', async () => {
  await tf.setBackend('cpu');
  const text = `name: '${HOSTILE}'\ndata: {dataset: xor}\nmodel:\n  input: [2]\n  layers:\n    - dense: {id: '${HOSTILE}', units: 4}\n    - dense: {id: '.hidden', units: 1}\ntrain: {loss: meanSquaredError, optimizer: sgd}\n`;
  const spec = parseModel(text, { defaultName: 'x' }).spec;
  assert.ok(spec, 'the file parses');
  assert.equal(spec.model.layers[0]?.id, HOSTILE);
  const model = buildNetwork(spec.model, 1, spec.name);
  try {
    const names = model.layers.map((l) => l.name);
    assert.ok(names.includes(sanitize(HOSTILE)) && names.includes(sanitize('.hidden')), names.join(', '));
    for (const w of model.weights) assert.match(w.name, /^[A-Za-z0-9][-A-Za-z0-9._/]*$/, `weight name ${w.name}`);
    for (const id of [HOSTILE, '.hidden', '_x', 'dense_1', '']) assert.equal(layerName(id), sanitize(id), 'the Keras export uses the same names');
  } finally {
    model.dispose();
  }
});
