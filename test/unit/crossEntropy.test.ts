// The fused categorical cross-entropy (engine/train/crossEntropy.ts) gives the value and gradient of
// Keras' formula written with tfjs ops: one-hot and soft targets, rows that do not sum to 1, and
// predictions the clip cuts off (no gradient through them), on the cpu and wasm backends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { categoricalCrossentropy } from '../../engine/train/crossEntropy';
import { useBackend } from '../../engine/train/backend';
import { assetDirs } from '../../engine/assets';
import { repo } from './helpers';

/** Keras' formula in tfjs ops, as losses.ts had it. */
const reference = (y: tf.Tensor, p: tf.Tensor): tf.Scalar => {
  const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), 1e-7, 1 - 1e-7);
  return tf.neg<tf.Scalar>(tf.mean<tf.Scalar>(tf.sum(tf.mul(y, tf.log(q)), -1)));
};

function compare(y: number[][], p: number[][]): void {
  const yt = tf.tensor2d(y);
  const pt = tf.tensor2d(p);
  const a = tf.valueAndGrad((q: tf.Tensor) => categoricalCrossentropy(yt, q))(pt);
  const b = tf.valueAndGrad((q: tf.Tensor) => reference(yt, q))(pt);
  const [va, vb] = [a.value.dataSync()[0] as number, b.value.dataSync()[0] as number];
  assert.ok(Math.abs(va - vb) <= 1e-6 * Math.max(1, Math.abs(vb)), `loss ${va} vs ${vb}`);
  const [ga, gb] = [a.grad.dataSync(), b.grad.dataSync()];
  const scale = Math.max(...Array.from(gb, Math.abs));
  for (let i = 0; i < gb.length; i++) assert.ok(Math.abs((ga[i] as number) - (gb[i] as number)) <= 2e-6 * scale, `grad[${i}] ${ga[i]} vs ${gb[i]}`);
  tf.dispose([yt, pt, a.value, a.grad, b.value, b.grad]);
}

const cases = (): Array<[number[][], number[][]]> => [
  // one-hot targets, probabilities
  [[[1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 0]], [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4], [0.05, 0.9, 0.05]]],
  // soft targets, rows not summing to 1
  [[[0.2, 0.8, 0], [0.5, 0.25, 0.25]], [[0.4, 1.2, 0.4], [0.1, 0.05, 0.2]]],
  // a zero and a near-one probability: clipped, no gradient through the clipped entries
  [[[1, 0, 0], [0, 0, 1]], [[0, 0.5, 0.5], [1e-9, 1e-9, 1]]],
];

test('fused categorical cross-entropy: value and gradient of the tfjs-ops formula (cpu)', async () => {
  await tf.setBackend('cpu');
  const before = tf.memory().numTensors;
  for (const [y, p] of cases()) compare(y, p);
  assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
});

test('fused categorical cross-entropy: the same on the wasm backend', async () => {
  await useBackend('wasm', assetDirs(repo).wasmDir);
  for (const [y, p] of cases()) compare(y, p);
});

test('a NaN prediction gives a NaN loss (the loop reports a non-finite loss)', async () => {
  await tf.setBackend('cpu');
  const v = tf.tidy(() => categoricalCrossentropy(tf.tensor2d([[1, 0]]), tf.tensor2d([[NaN, 0.5]])).dataSync()[0]);
  assert.ok(Number.isNaN(v));
});
