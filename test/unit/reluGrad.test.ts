// Our one-kernel ReLU gradient (engine/train/kernels/reluGrad.ts) gives exactly tfjs's
// mul(dy, cast(step(x))), bit for bit (-0, NaN and infinities included), on the wasm backend
// (the module's loop and the JS loop) and the cpu backend, and it is the gradient in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { setSimdEnabled, simd } from '../../engine/train/kernels/simdLoops';
import { makeRng } from '../../common/random';
import { wasmDir } from './helpers';

function inputs(n: number): [Float32Array, Float32Array] {
  const rng = makeRng(3);
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30];
  const pick = () => (rng() < 0.15 ? special[Math.floor(rng() * special.length)] as number : rng() * 4 - 2);
  return [Float32Array.from({ length: n }, pick), Float32Array.from({ length: n }, pick)];
}

async function reference(x: Float32Array, dy: Float32Array, shape: number[]): Promise<Float32Array> {
  await useBackend('cpu', wasmDir);
  return tf.tidy(() => tf.mul(tf.tensor(dy, shape), tf.cast(tf.step(tf.tensor(x, shape)), 'float32')).dataSync() as Float32Array);
}

for (const [backend, useSimd] of [['wasm', true], ['wasm', false], ['cpu', false]] as const) {
  test(`ReLU gradient on ${backend}${backend === 'wasm' ? (useSimd ? ' (module loop)' : ' (JS loop)') : ''} equals mul(dy, step(x)) bit for bit`, async () => {
    for (const shape of [[3], [4, 9], [2, 5, 5, 8], [1, 13]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const [x, dy] = inputs(n);
      const want = await reference(x, dy, shape);
      await useBackend(backend, wasmDir);
      setSimdEnabled(useSimd);
      if (backend === 'wasm' && useSimd) assert.ok(simd(), 'the kernels module is not loaded');
      const before = tf.memory().numTensors;
      const got = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x, shape), tf.tensor(dy, shape)).dataSync() as Float32Array);
      setSimdEnabled(true);
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      for (let i = 0; i < n; i++) assert.ok(Object.is(got[i], want[i]), `${shape} element ${i}: x ${x[i]} dy ${dy[i]}: got ${got[i]}, want ${want[i]}`);
    }
  });
}

test('the Relu gradient in use is one kernel, not Step + Cast + Multiply', async () => {
  await useBackend('wasm', wasmDir);
  const x = tf.randomNormal([64, 26, 26, 8]);
  const profile = await tf.profile(() => tf.grad((t: tf.Tensor) => tf.sum(tf.relu(t)))(x));
  const names = profile.kernels.map((k) => k.name);
  assert.ok(names.includes('ModelLabReluGrad'), names.join(' '));
  assert.ok(!names.includes('Step'), names.join(' '));
  x.dispose();
});
