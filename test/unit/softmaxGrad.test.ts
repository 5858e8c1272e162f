// Our one-kernel Softmax gradient (engine/train/kernels/softmaxGrad.ts) gives tfjs's
// sub(dy·y, sum(dy·y)·y) bit for bit on the wasm and cpu backends, and it is the gradient in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { makeRng } from '../../common/random';
import { wasmDir } from './helpers';

const SHAPES = [[3], [4, 10], [2, 3, 7], [64, 10], [5, 1]];

for (const backend of ['wasm', 'cpu'] as const) {
  test(`Softmax gradient on ${backend} equals tfjs's formula bit for bit, with no tensor left behind`, async () => {
    await useBackend(backend, wasmDir);
    const rng = makeRng(5);
    for (const shape of SHAPES) {
      const n = shape.reduce((a, b) => a * b, 1);
      const logits = tf.tensor(Float32Array.from({ length: n }, () => rng() * 8 - 4), shape);
      const dy = tf.tensor(Float32Array.from({ length: n }, () => rng() * 2 - 1), shape);
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.softmax(t))(logits, dy).dataSync() as Float32Array);
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      const want = tf.tidy(() => {
        const y = tf.softmax(logits);
        const dyTimesY = tf.mul(dy, y);
        return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, -1, true), y)).dataSync() as Float32Array;
      });
      for (let i = 0; i < n; i++) assert.ok(Object.is(got[i], want[i]), `${shape} element ${i}: got ${got[i]}, want ${want[i]}`);
      tf.dispose([logits, dy]);
    }
  });
}

test('the Softmax gradient in use is one kernel, not Multiply, Sum, Multiply and Sub', async () => {
  await useBackend('wasm', wasmDir);
  const x = tf.randomNormal([64, 10]);
  const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.softmax(t), tf.range(0, 10))))(x));
  const names = profile.kernels.map((k) => k.name);
  assert.ok(names.includes('ModelLabSoftmaxGrad'), names.join(' '));
  assert.ok(!names.includes('Sub'), names.join(' '));
  x.dispose();
});
