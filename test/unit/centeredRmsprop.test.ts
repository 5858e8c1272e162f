// Centered RMSProp takes Keras's denominator sqrt(ms - mg² + eps) in every path the engine trains
// with: the fused loop (wasm), and the tfjs-ops optimizer (cpu, the stock-kernel baseline, large
// variables). tfjs 4.22's own subtracts epsilon and gives NaN for first gradients below ~1e-3, so
// gradients 0 and 1e-4 are the cases that matter; each step is checked against the formula.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { FusedOptimizer } from '../../engine/train/fusedOptimizer';
import { tfjsOptimizerFor, type OptimizerRule } from '../../engine/train/optimizerRules';
import { wasmDir } from './helpers';

const rule: Extract<OptimizerRule, { kind: 'rmsprop' }> = { kind: 'rmsprop', learningRate: 0.01, decay: 0.9, momentum: 0.5, epsilon: 1e-7, centered: true };
/** Per element, a gradient for each of 3 steps: zero throughout, tiny, tiny then large, mixed signs. */
const GRADIENTS = [[0, 0, 0], [1e-4, 1e-4, 1e-4], [1e-4, 1, -1], [-1e-4, 0, 2e-4], [1, 1e-4, 0]];

/** The rule in float64, element by element: what every path must compute (up to float32 rounding). */
function expected(w0: number, gs: number[]): number {
  let [w, ms, mg, mom] = [w0, 0, 0, 0];
  for (const g of gs) {
    ms = rule.decay * ms + (1 - rule.decay) * g * g;
    mg = rule.decay * mg + (1 - rule.decay) * g;
    mom = rule.momentum * mom + (rule.learningRate * g) / Math.sqrt(ms - mg * mg + rule.epsilon);
    w -= mom;
  }
  return w;
}

function train(makeOptimizer: () => tf.Optimizer, name: string): Float32Array {
  const start = GRADIENTS.map((_, i) => 0.5 - i / 10);
  const v = tf.tidy(() => tf.variable(tf.tensor1d(start), true, name));
  const optimizer = makeOptimizer();
  for (let step = 0; step < 3; step++) {
    const g = tf.tensor1d(GRADIENTS.map((gs) => gs[step] as number));
    optimizer.applyGradients({ [name]: g });
    g.dispose();
  }
  const out = v.dataSync().slice() as Float32Array;
  optimizer.dispose();
  v.dispose();
  return out;
}

function assertKeras(got: Float32Array, label: string): void {
  GRADIENTS.forEach((gs, i) => {
    const want = expected(0.5 - i / 10, gs);
    const value = got[i] as number;
    assert.ok(Number.isFinite(value), `${label}: gradients ${gs.join(', ')} gave ${value}`);
    assert.ok(Math.abs(value - want) <= 1e-5 * Math.max(1, Math.abs(want)), `${label}: gradients ${gs.join(', ')}: ${value}, formula ${want}`);
  });
}

test('centered RMSProp, fused loop on wasm: no NaN for gradients 0 and 1e-4, each weight equals Keras\'s formula', async () => {
  await useBackend('wasm', wasmDir);
  assertKeras(train(() => new FusedOptimizer(rule), 'centered-fused'), 'fused');
});

test('centered RMSProp through tfjs ops (large variables, stock kernels, cpu): the same formula on wasm and cpu', async () => {
  for (const backend of ['wasm', 'cpu'] as const) {
    await useBackend(backend, wasmDir);
    const before = tf.memory().numTensors;
    assertKeras(train(() => tfjsOptimizerFor(rule), `centered-ops-${backend}`), `tfjs ops on ${backend}`);
    assert.equal(tf.memory().numTensors, before, `no tensor left behind on ${backend}`);
  }
  // A variable at or above the fused size limit goes through the tfjs-ops optimizer inside the fused one.
  await useBackend('wasm', wasmDir);
  assertKeras(train(() => new FusedOptimizer(rule, 1), 'centered-split'), 'fused optimizer, large-variable path');
});

test('centered RMSProp follows a learning rate changed between steps', async () => {
  await useBackend('wasm', wasmDir);
  const name = 'centered-rate';
  const v = tf.variable(tf.tensor1d([1]), true, name);
  const optimizer = tfjsOptimizerFor(rule) as tf.Optimizer & { learningRate: number };
  optimizer.learningRate = 0.1;
  const g = tf.tensor1d([1]);
  optimizer.applyGradients({ [name]: g });
  // ms = 0.1, mg = 0.1, first step lr·g / sqrt(ms - mg² + eps) = 0.1 / sqrt(0.09 + 1e-7).
  assert.ok(Math.abs((v.dataSync()[0] as number) - (1 - 0.1 / Math.sqrt(0.09 + 1e-7))) < 1e-6, `${v.dataSync()[0]}`);
  tf.dispose([v, g]);
  optimizer.dispose();
});
