// The ReLU gradient Model Lab registers (engine/train/gradients.ts): tfjs's values (dy where x > 0,
// else 0, NaN kept) without the Cast kernel tfjs's own gradient runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerTrainingGradients } from '../../engine/train/gradients';

test('ReLU gradient: dy where x > 0, zero elsewhere, and no Cast in the backward pass', async () => {
  await tf.setBackend('cpu');
  registerTrainingGradients();
  const x = tf.tensor1d([-2, -0, 0, 1e-30, 3, NaN]);
  const dy = tf.tensor1d([5, 5, 5, 5, 7, 5]);
  const g = tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy);
  const got = Array.from(g.dataSync());
  assert.deepEqual(got.slice(0, 5), [0, 0, 0, 5, 7]);
  assert.ok(Number.isNaN(got[5]), 'a NaN input gives a NaN gradient, as tfjs');
  const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.relu(t))(x, dy));
  const names = profile.kernels.map((k) => k.name);
  assert.ok(names.includes('Step') && !names.includes('Cast'), names.join(', '));
  tf.dispose([x, dy, g]);
});
