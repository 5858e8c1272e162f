// The dense layer as one op (engine/train/kernels/denseOp.ts, engine/train/customLayers/fastDense.ts)
// gives the values and gradients of tfjs's matMul + add + relu on the cpu backend, on the wasm
// backend (our GEMM, and the shipped kernels with the module's loops off) and the cpu backend, on
// shapes that are not multiples of the GEMM's tile; a model of FastDense layers trains as one of
// tfjs's Dense layers does, runs fewer kernels, leaves no tensor behind and saves as Dense.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../engine/train/backend';
import { dense, denseOpAvailable, type DenseActivation } from '../../engine/train/kernels/denseOp';
import { setSimdEnabled, simd } from '../../engine/train/kernels/simdLoops';
import { FastDense } from '../../engine/train/customLayers/fastDense';
import { makeRng } from '../../common/random';
import { wasmDir } from './helpers';

const random = (n: number, seed: number): Float32Array => {
  const rng = makeRng(seed);
  return Float32Array.from({ length: n }, () => rng() * 2 - 1);
};

function close(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let i = 0; i < want.length; i++) {
    const g = got[i] as number, w = want[i] as number;
    assert.ok(Math.abs(g - w) <= 1e-5 * Math.max(1, Math.abs(w)), `${what}[${i}]: ${g} vs ${w}`);
  }
}

interface Case { m: number; k: number; n: number; act: DenseActivation; bias: boolean }
const CASES: Case[] = [
  { m: 5, k: 7, n: 3, act: 'relu', bias: true }, { m: 13, k: 33, n: 17, act: 'relu', bias: true },
  { m: 1, k: 1, n: 9, act: 'linear', bias: true }, { m: 6, k: 19, n: 10, act: 'linear', bias: false },
  { m: 9, k: 16, n: 8, act: 'relu', bias: false }, { m: 64, k: 40, n: 12, act: 'linear', bias: true },
];

/** Output and the gradients of sum(out · w) for x, W (and b), by `f`. */
function run(c: Case, f: (x: tf.Tensor, W: tf.Tensor, b: tf.Tensor | null) => tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(random(c.m * c.k, 1), [c.m, c.k]);
    const W = tf.tensor(random(c.k * c.n, 2), [c.k, c.n]);
    const b = tf.tensor(random(c.n, 3), [c.n]);
    const w = tf.tensor(random(c.m * c.n, 4), [c.m, c.n]);
    const inputs = c.bias ? [x, W, b] : [x, W];
    const out = f(x, W, c.bias ? b : null);
    const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(f(t[0] as tf.Tensor, t[1] as tf.Tensor, (t[2] ?? null) as tf.Tensor | null), w)))(inputs);
    return [out, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

const unfused = (act: DenseActivation) => (x: tf.Tensor, W: tf.Tensor, b: tf.Tensor | null): tf.Tensor => {
  const z = b ? tf.add(tf.matMul(x, W), b) : tf.matMul(x, W);
  return act === 'relu' ? tf.relu(z) : z;
};

for (const [backend, useSimd] of [['wasm', true], ['wasm', false], ['cpu', false]] as const) {
  test(`dense op on ${backend}${backend === 'wasm' ? (useSimd ? ' (our GEMM)' : ' (shipped kernels)') : ''}: values and gradients of matMul + add + activation`, async () => {
    for (const c of CASES) {
      await useBackend('cpu', wasmDir);
      const want = run(c, unfused(c.act));
      await useBackend(backend, wasmDir);
      setSimdEnabled(useSimd);
      try {
        if (backend === 'wasm' && useSimd) assert.ok(simd(), 'the kernels module is not loaded');
        assert.ok(denseOpAvailable(tf.zeros([1, 1]), c.act), 'the op runs on this backend');
        const before = tf.memory().numTensors;
        const got = run(c, (x, W, b) => dense(x, W, b, c.act));
        assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
        const names = ['output', 'dx', 'dW', 'db'];
        got.forEach((g, i) => close(g, want[i] as Float32Array, `${JSON.stringify(c)} ${names[i]}`));
      } finally {
        setSimdEnabled(true);
      }
    }
  });
}

function mlp(layer: (args: tfl.layers.Layer extends never ? never : object) => tfl.layers.Layer, softmax: boolean): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(layer({ units: 11, activation: 'relu', inputShape: [23], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }), biasInitializer: 'randomNormal' }));
  model.add(layer({ units: 5, activation: softmax ? 'softmax' : 'linear', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  return model;
}

for (const softmax of [true, false]) {
  test(`a model of FastDense layers (${softmax ? 'relu, softmax' : 'relu, linear'}) trains as tfjs's Dense does, with fewer kernels and no leak`, async () => {
    await useBackend('wasm', wasmDir);
    const ours = mlp((a) => new FastDense(a as never), softmax);
    const theirs = mlp((a) => tfl.layers.dense(a as never), softmax);
    theirs.setWeights(ours.getWeights());
    const x = tf.tensor(random(17 * 23, 5), [17, 23]);
    const y = tf.oneHot(tf.tensor1d(Array.from({ length: 17 }, (_, i) => i % 5), 'int32'), 5);
    const step = (model: tfl.LayersModel, optimizer: tf.Optimizer) =>
      tf.tidy(() => (optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true) as tf.Scalar).dataSync()[0] as number);
    const optA = tf.train.adam(0.01), optB = tf.train.adam(0.01);
    step(ours, optA);
    step(theirs, optB);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) close([step(ours, optA)], [step(theirs, optB)], `loss at step ${i}`);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    ours.getWeights().forEach((w, i) => close(w.dataSync(), theirs.getWeights()[i]!.dataSync(), `weight ${i}`));
    const kernels = async (model: tfl.LayersModel, optimizer: tf.Optimizer) => (await tf.profile(() => { step(model, optimizer); })).kernels.map((k) => k.name);
    const a = await kernels(ours, optA), b = await kernels(theirs, optB);
    assert.ok(a.includes('ModelLabDenseRelu') && !a.includes('Relu'), a.join(' '));
    assert.ok(a.length < b.length - 10, `ours ${a.length} kernels, tfjs's ${b.length}`);
    // The first layer's input gradient (the data's) is never computed: one product back for it, two for the second layer.
    assert.equal(a.filter((n) => n === 'BatchMatMul').length, 3, a.join(' '));
    tf.dispose([x, y]);
    optA.dispose();
    optB.dispose();
  });
}

test('FastDense saves as Dense with the same config, and falls back to tfjs for rank-3 inputs', async () => {
  await useBackend('wasm', wasmDir);
  const layer = new FastDense({ units: 4, activation: 'relu', inputShape: [3, 6] });
  assert.equal(layer.getClassName(), 'Dense');
  assert.equal(layer.getConfig().units, 4);
  const model = tfl.sequential({ layers: [layer] });
  const x = tf.tensor(random(2 * 3 * 6, 6), [2, 3, 6]);
  const y = model.predict(x) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 3, 4]);
  const want = tf.relu(tf.add(tf.matMul(tf.reshape(x, [6, 6]), layer.getWeights()[0]!), layer.getWeights()[1]!));
  close(y.dataSync(), want.dataSync(), 'rank-3 output');
  tf.dispose([x, y, want]);
  model.dispose();
});
