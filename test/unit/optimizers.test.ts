// Each optimizer of the model file, three steps on a tiny problem (loss = sum(w²)/2, so the
// gradient is w itself), against the update rule computed by hand in doubles; on both backends
// (wasm: the fused steps where they exist). Plus gradient clipping and a rate changed between steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { makeOptimizer } from '../../engine/train/optimizer';
import { setOptimizerLearningRate } from '../../engine/train/optimizerRules';
import type { TrainSpec } from '../../model/language/model';
import type { OptimizerName } from '../../model/language/vocabulary';
import { wasmDir } from './helpers';

const W0 = [1, -2, 0.5];
const STEPS = 3;

function trainSpec(name: OptimizerName, options: Record<string, number | boolean>, learningRate: number): TrainSpec {
  return { loss: 'meanSquaredError', optimizer: { name, options }, learningRate, batchSize: 1, epochs: 1, metrics: [], seed: 1 };
}

/** Runs the optimizer on loss = sum(w²)/2; `rates` (optional) sets the rate before each step. */
function run(spec: TrainSpec, backend: 'wasm' | 'cpu', rates?: number[]): number[] {
  const init = tf.tensor1d(W0);
  const w = tf.variable(init, true, `w-${Math.random()}`);
  init.dispose();
  const opt = makeOptimizer(spec, backend);
  for (let s = 0; s < STEPS; s++) {
    if (rates) setOptimizerLearningRate(opt, rates[s] as number);
    tf.tidy(() => void opt.minimize(() => tf.mul(0.5, tf.sum(tf.square(w))) as tf.Scalar));
  }
  const out = [...w.dataSync()];
  opt.dispose();
  w.dispose();
  return out;
}

type Rule = (w: number[], rates: number[]) => number[];
const EPS = 1e-7;

/** The update rules by hand, element-wise (g = w). */
const hand: Record<string, { spec: TrainSpec; rule: Rule }> = {
  sgd: { spec: trainSpec('sgd', {}, 0.1), rule: (w, r) => stepper(w, r, () => (wi, g, lr) => wi - lr * g) },
  momentum: { spec: trainSpec('sgd', { momentum: 0.9 }, 0.1), rule: (w, r) => stepper(w, r, () => { let v = 0; return (wi, g, lr) => { v = 0.9 * v + g; return wi - lr * v; }; }) },
  nesterov: { spec: trainSpec('sgd', { momentum: 0.9, nesterov: true }, 0.1), rule: (w, r) => stepper(w, r, () => { let v = 0; return (wi, g, lr) => { v = 0.9 * v + g; return wi - lr * (g + 0.9 * v); }; }) },
  adagrad: { spec: trainSpec('adagrad', {}, 0.1), rule: (w, r) => stepper(w, r, () => { let acc = 0.1; return (wi, g, lr) => { acc += g * g; return wi - (lr * g) / Math.sqrt(acc + EPS); }; }) },
  // tfjs's Adadelta divides by the accumulated squared gradient of the previous step (Keras uses the new one).
  adadelta: { spec: trainSpec('adadelta', { rho: 0.9 }, 1), rule: (w, r) => stepper(w, r, () => { let ag = 0; let au = 0; return (wi, g, lr) => {
    const u = (Math.sqrt(au + EPS) / Math.sqrt(ag + EPS)) * g; ag = 0.9 * ag + 0.1 * g * g; au = 0.9 * au + 0.1 * u * u; return wi - lr * u; }; }) },
  rmsprop: { spec: trainSpec('rmsprop', { momentum: 0.5 }, 0.01), rule: (w, r) => stepper(w, r, () => { let ms = 0; let mom = 0; return (wi, g, lr) => {
    ms = 0.9 * ms + 0.1 * g * g; mom = 0.5 * mom + (lr * g) / Math.sqrt(ms + EPS); return wi - mom; }; }) },
  adam: { spec: trainSpec('adam', {}, 0.1), rule: (w, r) => stepper(w, r, adam(0)) },
  adamw: { spec: trainSpec('adamw', { weightDecay: 0.1 }, 0.1), rule: (w, r) => stepper(w, r, adam(0.1)) },
  adamax: { spec: trainSpec('adamax', {}, 0.1), rule: (w, r) => stepper(w, r, () => { let m = 0; let u = 0; let t = 0; return (wi, g, lr) => {
    t++; m = 0.9 * m + 0.1 * g; u = Math.max(0.999 * u, Math.abs(g)); return wi - (lr / (1 - 0.9 ** t)) * (m / (u + EPS)); }; }) },
};

function adam(weightDecay: number): () => (wi: number, g: number, lr: number) => number {
  return () => {
    let m = 0;
    let v = 0;
    let t = 0;
    return (wi, g, lr) => {
      t++;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      const decayed = wi - lr * weightDecay * wi; // decoupled: on the weight, not through the gradient
      return decayed - (lr * (m / (1 - 0.9 ** t))) / (Math.sqrt(v / (1 - 0.999 ** t)) + EPS);
    };
  };
}

/** Applies a per-element update rule for STEPS steps (each element keeps its own state). */
function stepper(w0: number[], rates: number[], make: () => (wi: number, g: number, lr: number) => number): number[] {
  return w0.map((start) => {
    const update = make();
    let wi = start;
    for (let s = 0; s < STEPS; s++) wi = update(wi, wi, rates[s] as number);
    return wi;
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  for (const [name, { spec, rule }] of Object.entries(hand)) {
    test(`${name} on ${backend}: ${STEPS} steps match the update rule by hand, also with a changing rate`, async () => {
      await useBackend(backend, wasmDir);
      const constant = Array.from({ length: STEPS }, () => spec.learningRate);
      const changing = constant.map((lr, s) => lr * [1, 0.5, 2][s]!);
      for (const rates of [constant, changing]) {
        const got = run(spec, backend, rates === constant ? undefined : rates);
        const want = rule(W0, rates);
        got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 2e-5 * Math.max(1, Math.abs(want[i]!)), `w[${i}]: ${v} vs by hand ${want[i]} (rates ${rates})`));
        assert.ok(got.some((v, i) => Math.abs(v - W0[i]!) > 1e-3), 'the weights moved');
      }
    });
  }
}

test('clipValue clamps each gradient element; clipNorm rescales each gradient to the norm', async () => {
  await useBackend('cpu', wasmDir);
  const byValue = run(trainSpec('sgd', { clipValue: 0.5 }, 0.1), 'cpu');
  assert.deepEqual(byValue.map((v) => +v.toFixed(5)), stepper(W0, [0.1, 0.1, 0.1], () => (wi, g, lr) => wi - lr * Math.max(-0.5, Math.min(0.5, g))).map((v) => +v.toFixed(5)));
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend, wasmDir);
    const byNorm = run(trainSpec('sgd', { clipNorm: 1 }, 0.1), backend);
    // By hand: the whole vector's gradient (= w) scaled to norm 1 while its norm is above 1.
    let w = [...W0];
    for (let s = 0; s < STEPS; s++) {
      const norm = Math.hypot(...w);
      w = w.map((wi) => wi - (0.1 * wi) / Math.max(1, norm));
    }
    byNorm.forEach((v, i) => assert.ok(Math.abs(v - w[i]!) < 1e-6, `${backend} w[${i}]: ${v} vs ${w[i]}`));
  }
});

test('no tensor is left behind by clipping and the fused optimizers', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend, wasmDir);
    const before = tf.memory().numTensors;
    for (const { spec } of Object.values(hand)) {
      run(spec, backend);
      run({ ...spec, optimizer: { ...spec.optimizer, options: { ...spec.optimizer.options, clipNorm: 1, clipValue: 2 } } }, backend);
    }
    assert.equal(tf.memory().numTensors, before, backend);
  }
});
