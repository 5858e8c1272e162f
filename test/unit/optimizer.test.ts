// The fused optimizers against tfjs's own: a whole model, 20 steps, on the wasm backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../engine/train/backend';
import { FusedOptimizer, tfjsOptimizerFor, type FusedRule } from '../../engine/train/fusedOptimizer';
import { setOptimizerLearningRate } from '../../engine/train/optimizerRules';
import { makeRng } from '../../common/random';
import { setSimdEnabled } from '../../engine/train/kernels/simdLoops';
import { wasmDir } from './helpers';

function trainWeights(makeOpt: () => tf.Optimizer, steps: number): Float32Array[] {
  const model = tfl.sequential({ layers: [
    tfl.layers.dense({ inputShape: [6], units: 16, activation: 'tanh', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
    tfl.layers.dense({ units: 3, activation: 'softmax', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
  ] });
  const rng = makeRng(3);
  const x = tf.tensor2d(Float32Array.from({ length: 32 * 6 }, () => rng() * 2 - 1), [32, 6]);
  const y = tf.oneHot(tf.tensor1d(Int32Array.from({ length: 32 }, () => Math.floor(rng() * 3)), 'int32'), 3);
  const opt = makeOpt();
  for (let i = 0; i < steps; i++) {
    tf.tidy(() => {
      opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar);
    });
  }
  const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array);
  tf.dispose([x, y]);
  opt.dispose();
  model.dispose();
  return weights;
}

const rules: FusedRule[] = [
  { kind: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  { kind: 'adam', learningRate: 0.3, beta1: 0.5, beta2: 0.9, epsilon: 1e-3 },
  { kind: 'sgd', learningRate: 0.1 },
  { kind: 'momentum', learningRate: 0.05, momentum: 0.9, nesterov: false },
  { kind: 'momentum', learningRate: 0.05, momentum: 0.9, nesterov: true },
];

for (const rule of rules) {
  test(`fused ${JSON.stringify(rule)}: 20 steps match tfjs's optimizer`, async () => {
    await useBackend('wasm', wasmDir);
    const ours = trainWeights(() => new FusedOptimizer(rule), 20);
    // The 6x16 kernel goes through tfjs's ops, the rest through the fused loop: still in step.
    const split = trainWeights(() => new FusedOptimizer(rule, 50), 20);
    const theirs = trainWeights(() => tfjsOptimizerFor(rule), 20);
    const initial = trainWeights(() => new FusedOptimizer(rule), 0);
    for (const [i, w] of split.entries()) {
      const ref = theirs[i] as Float32Array;
      w.forEach((v, j) => assert.ok(Math.abs(v - (ref[j] as number)) <= 1e-5 * Math.max(1, Math.abs(ref[j] as number)), `split weight ${i}[${j}]: ${v} vs ${ref[j]}`));
    }
    ours.forEach((w, i) => {
      const ref = theirs[i] as Float32Array;
      let moved = 0;
      for (let j = 0; j < w.length; j++) {
        assert.ok(Math.abs((w[j] as number) - (ref[j] as number)) <= 1e-5 * Math.max(1, Math.abs(ref[j] as number)), `weight ${i}[${j}]: fused ${w[j]} vs tfjs ${ref[j]}`);
        moved = Math.max(moved, Math.abs((w[j] as number) - ((initial[i] as Float32Array)[j] as number)));
      }
      assert.ok(moved > 1e-4, `weights ${i} moved (${moved})`);
    });
  });
}

test('a clone of a weight keeps its values when the fused step updates the variable', async () => {
  await useBackend('wasm', wasmDir);
  const v = tf.variable(tf.tensor1d([1, 2, 3]), true, 'clone-check');
  const snapshot = tf.clone(v);
  const opt = new FusedOptimizer({ kind: 'sgd', learningRate: 1 });
  opt.applyGradients({ 'clone-check': tf.tensor1d([1, 1, 1]) });
  assert.deepEqual([...v.dataSync()], [0, 1, 2]);
  assert.deepEqual([...snapshot.dataSync()], [1, 2, 3]);
  tf.dispose([v, snapshot]);
});

// The fused steps of the other optimizers (rmsprop, adagrad, ...), same 20-step check.
const moreRules: FusedRule[] = [
  { kind: 'rmsprop', learningRate: 0.01, decay: 0.9, momentum: 0, epsilon: 1e-7, centered: false },
  { kind: 'rmsprop', learningRate: 0.005, decay: 0.8, momentum: 0.5, epsilon: 1e-12, centered: true },
  { kind: 'adagrad', learningRate: 0.1, initialAccumulatorValue: 0.1 },
  { kind: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.05 },
];
for (const rule of moreRules) {
  test(`fused ${rule.kind} ${JSON.stringify(rule)}: 20 steps match tfjs's optimizer (with a rate changed each step)`, async () => {
    await useBackend('wasm', wasmDir);
    // A schedule changes the rate before every step: both optimizers must follow it.
    const scheduled = (opt: tf.Optimizer): tf.Optimizer => {
      const inner = opt as tf.Optimizer & { applyGradients: tf.Optimizer['applyGradients'] };
      let step = 0;
      const apply = inner.applyGradients.bind(inner);
      inner.applyGradients = (g) => {
        setOptimizerLearningRate(inner, rule.learningRate * (1 + 0.5 * Math.sin(step++)));
        apply(g);
      };
      return inner;
    };
    const ours = trainWeights(() => scheduled(new FusedOptimizer(rule)), 20);
    const split = trainWeights(() => scheduled(new FusedOptimizer(rule, 50)), 20);
    const theirs = trainWeights(() => scheduled(tfjsOptimizerFor(rule)), 20);
    const initial = trainWeights(() => new FusedOptimizer(rule), 0);
    for (const [name, got] of [['fused', ours], ['split', split]] as const) {
      got.forEach((w, i) => {
        const ref = theirs[i] as Float32Array;
        let moved = 0;
        for (let j = 0; j < w.length; j++) {
          assert.ok(Math.abs((w[j] as number) - (ref[j] as number)) <= 1e-5 * Math.max(1, Math.abs(ref[j] as number)), `${name} weight ${i}[${j}]: ${w[j]} vs tfjs ${ref[j]}`);
          moved = Math.max(moved, Math.abs((w[j] as number) - ((initial[i] as Float32Array)[j] as number)));
        }
        assert.ok(moved > 1e-4, `weights ${i} moved (${moved})`);
      });
    }
  });
}

for (const rule of [rules[1] as FusedRule, { kind: 'adamw', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, weightDecay: 0.05 } as FusedRule]) {
  test(`SIMD ${rule.kind} gives the JS loop's float32 results bit for bit (odd size, 15 steps, rate changed)`, async () => {
    await useBackend('wasm', wasmDir);
    const run = (simdOn: boolean): Uint8Array => {
      setSimdEnabled(simdOn);
      const rng = makeRng(12);
      const size = 1037;
      const v = tf.variable(tf.tensor1d(Float32Array.from({ length: size }, () => rng() * 2 - 1)), true, `simd-adam-${simdOn}`);
      const opt = new FusedOptimizer(rule, Infinity);
      for (let s = 0; s < 15; s++) {
        opt.setLearningRate(rule.learningRate * (1 + s / 10));
        const g = tf.tensor1d(Float32Array.from({ length: size }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 6 - 3)));
        opt.applyGradients({ [v.name]: g });
        g.dispose();
      }
      const bytes = new Uint8Array(v.dataSync().slice().buffer);
      opt.dispose();
      v.dispose();
      setSimdEnabled(true);
      return bytes;
    };
    const simdBytes = run(true);
    const jsBytes = run(false);
    assert.ok(Buffer.from(simdBytes).equals(Buffer.from(jsBytes)), 'SIMD and JS Adam differ');
  });
}
