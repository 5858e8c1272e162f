// The weight penalty the training loop adds for model.regularizer and per-layer regularizers, on a
// built model without training it. That it shapes the weights in training (L1 against L2) is in
// test/slow/layers-training.test.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { parseModel } from '../../model/language/parse';
import { useBackend } from '../../engine/train/backend';
import { buildModel } from '../../engine/train/buildModel';
import { penaltyValue, withPenalty } from '../../engine/train/regularization';
import { example, wasmDir } from './helpers';

before(async () => {
  await useBackend('wasm', wasmDir);
});

test('the penalty the loop adds: l1 * sum|w| + l2 * sum w^2 of every regularized kernel, model-wide default included', () => {
  const r = parseModel(example('digits-l1.model.yaml').replace('input: [64]', 'input: [64]\n  regularizer: {l2: 0.5}'));
  assert.ok(r.spec);
  const model = buildModel(r.spec);
  const [k1, k2] = [model.layers[1]?.getWeights()[0], model.layers[2]?.getWeights()[0]] as [tf.Tensor, tf.Tensor];
  const expected = 0.001 * tf.sum(tf.abs(k1)).dataSync()[0]! + 0.5 * tf.sum(tf.square(k2)).dataSync()[0]!;
  const dataLoss = tf.scalar(1.25);
  const total = withPenalty(model, dataLoss);
  assert.ok(Math.abs(total.dataSync()[0]! - 1.25 - expected) < 1e-4, `${total.dataSync()[0]} vs 1.25 + ${expected}`);
  assert.ok(Math.abs(penaltyValue(model) - expected) < 1e-4);
  tf.dispose([dataLoss, total]); // k1, k2 are the layers' own variables
  model.dispose();
});
