// Each loss's per-example form averages to the loss itself, and the validation pass gives the
// paired standard error of a change in validation loss: the noise the overfitting diagnostic compares with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { lossFn, perExampleLossFn } from '../../engine/train/losses';
import { changeStandardError, evaluate } from '../../engine/train/trainStep';
import { LOSSES } from '../../model/language/vocabulary';
import { makeRng } from '../../common/random';

const rng = makeRng(5);
const probs = (n: number, k: number): number[][] =>
  Array.from({ length: n }, () => {
    const r = Array.from({ length: k }, () => rng() + 0.05);
    const s = r.reduce((a, b) => a + b, 0);
    return r.map((v) => v / s);
  });

test('every loss: the mean of the per-example losses is the loss, one value per example', async () => {
  await tf.setBackend('cpu');
  for (const name of LOSSES) {
    const k = name === 'binaryCrossentropy' ? 1 : 3;
    const y = tf.tensor2d(k === 1 ? Array.from({ length: 6 }, (_, i) => [i % 2]) : probs(6, k).map((r) => r.map((v) => (v === Math.max(...r) ? 1 : 0))));
    const p = tf.tensor2d(k === 1 ? Array.from({ length: 6 }, () => [0.1 + 0.8 * rng()]) : probs(6, k));
    const per = perExampleLossFn(name)(y, p);
    assert.deepEqual(per.shape, [6], name);
    const whole = lossFn(name)(y, p).dataSync()[0] as number;
    const mean = tf.mean(per).dataSync()[0] as number;
    assert.ok(Math.abs(whole - mean) <= 1e-6 * Math.max(1, Math.abs(whole)), `${name}: ${whole} vs ${mean}`);
    tf.dispose([y, p, per]);
  }
});

test('the validation pass gives each example its loss; the change between two passes has a paired standard error', async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [1], units: 1, kernelInitializer: 'zeros', biasInitializer: 'zeros' })] });
  // Predictions are all 0, so the example losses are the squared targets.
  const targets = [0, 1, 2, 3, 4, 5, 6, 7];
  const data = { x: tf.zeros([8, 1]), y: tf.tensor2d(targets.map((t) => [t])), n: 8 };
  const before = tf.memory().numTensors;
  const r = evaluate(model, lossFn('meanSquaredError'), data, false, undefined, perExampleLossFn('meanSquaredError'));
  assert.equal(tf.memory().numTensors, before, 'the pass leaves no tensor behind');
  assert.deepEqual(Array.from(r.exampleLosses ?? []), targets.map((t) => t * t));
  assert.ok(Math.abs(r.loss - 17.5) < 1e-4);
  assert.equal(evaluate(model, lossFn('meanSquaredError'), data, false).exampleLosses, undefined);
  // Every example 1 higher: a certain rise (no noise). One example 8 higher: the same mean rise, all noise.
  const base = Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(changeStandardError(base.map((v) => v + 1), base), 0);
  const one = Float32Array.from(base, (v, i) => (i === 0 ? v + 8 : v));
  assert.ok(Math.abs(changeStandardError(one, base) - Math.sqrt((64 - 8 * 1) / 7 / 8)) < 1e-6);
  tf.dispose([data.x, data.y]);
});
