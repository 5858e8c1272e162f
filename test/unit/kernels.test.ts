// Every kernel Model Lab registers on the wasm backend, against tfjs's cpu backend (the reference):
// same values and same gradients on random shapes, strides, paddings and odd sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { simdInUse, useBackend } from '../../engine/train/backend';
import { setSimdEnabled, simd } from '../../engine/train/kernels/simdLoops';
import { makeRng } from '../../common/random';
import { wasmDir } from './helpers';
import { assertClose, onBoth } from './kernelCompare';

interface ConvCase { b: number; h: number; w: number; c: number; k: number; f: number; s: number; pad: 'valid' | 'same' }

for (const useSimd of [true, false]) {
const loops = useSimd ? 'SIMD loops' : 'JS loops';

/** The wasm module's loops must really run in the SIMD tests (not the JS loops twice). */
async function useLoops(): Promise<void> {
  await useBackend('wasm', wasmDir);
  setSimdEnabled(useSimd);
  if (useSimd) assert.ok(simd(), 'the kernels module is not loaded: build first (npm run build)');
}

test(`conv2d filter and input gradients (Conv2DBackpropFilter/Input) match the cpu backend, ${loops}`, async () => {
  await useLoops();
  const rng = makeRng(11);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  const cases: ConvCase[] = [];
  for (let i = 0; i < 24; i++) {
    cases.push({ b: pick([1, 2, 3]), h: pick([5, 7, 8, 11]), w: pick([5, 6, 9]), c: pick([1, 2, 3, 5]), k: pick([1, 2, 3, 5]), f: pick([1, 4, 7]), s: pick([1, 2, 3]), pad: pick<'valid' | 'same'>(['valid', 'same']) });
  }
  for (const c of cases) {
    const { b, h, w, k, f, s, pad } = c;
    const ch = c.c;
    if (pad === 'valid' && (k > h || k > w)) continue;
    const [cpu, wasm] = await onBoth([{ shape: [b, h, w, ch], seed: 1 }, { shape: [k, k, ch, f], seed: 2 }], (x, filter) => {
      const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, s, pad), tf.scalar(1.5))));
      return g([x as tf.Tensor, filter as tf.Tensor]);
    });
    assertClose(cpu[1] as Float32Array, wasm[1] as Float32Array, `dFilter ${JSON.stringify(c)}`);
    assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, `dInput ${JSON.stringify(c)}`);
  }
});

test(`max-pool gradient (MaxPoolGrad) matches the cpu backend, tiled or overlapping, any padding, ${loops}`, async () => {
  await useLoops();
  const rng = makeRng(5);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)] as T;
  for (let i = 0; i < 24; i++) {
    const c = { b: pick([1, 2]), h: pick([4, 5, 7, 8]), w: pick([4, 6, 9]), ch: pick([1, 3, 8]), p: pick([1, 2, 3]), s: pick([1, 2, 3]), pad: pick<'valid' | 'same'>(['valid', 'same']) };
    if (c.pad === 'valid' && (c.p > c.h || c.p > c.w)) continue;
    const [cpu, wasm] = await onBoth([{ shape: [c.b, c.h, c.w, c.ch], seed: 3 + i }], (x) =>
      tf.grad((xx: tf.Tensor) => tf.sum(tf.square(tf.maxPool(xx as tf.Tensor4D, c.p, c.s, c.pad))))(x as tf.Tensor));
    assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, `dx ${JSON.stringify(c)}`);
  }
});

test(`max-pool gradient: rows and columns past the windows get 0 even in memory freed dirty, ${loops}`, async () => {
  await useLoops();
  const c = { b: 2, h: 7, w: 9, ch: 8 }; // 2x2 windows leave row 6 and column 8 out
  const [cpu, wasm] = await onBoth([{ shape: [c.b, c.h, c.w, c.ch], seed: 23 }], (x) => {
    // Freed blocks of dx's size full of NaN: dx's allocation likely lands on one of them.
    tf.dispose(Array.from({ length: 4 }, () => tf.fill(x.shape, NaN)));
    return tf.grad((xx: tf.Tensor) => tf.sum(tf.maxPool(xx as tf.Tensor4D, 2, 2, 'valid')))(x as tf.Tensor);
  });
  assert.ok(!(wasm[0] as Float32Array).some(Number.isNaN), 'no NaN left from the freed memory');
  assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, 'dx');
});

test(`max-pool gradient goes to the first of tied maxima, as on the cpu backend (ReLU zeros tie), ${loops}`, async () => {
  await useLoops();
  for (const c of [{ b: 2, h: 8, w: 8, ch: 8, p: 2 }, { b: 1, h: 7, w: 9, ch: 5, p: 2 }, { b: 1, h: 9, w: 9, ch: 6, p: 3 }]) {
    const [cpu, wasm] = await onBoth([{ shape: [c.b, c.h, c.w, c.ch], seed: 17 }], (x) => {
      const tied = tf.relu(tf.round(tf.mul(x, 2))); // values in {0, 1, 2}: most windows hold ties
      return tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(xx as tf.Tensor4D, c.p, c.p, 'valid'), tf.range(1, 1 + c.ch))))(tied);
    });
    assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, `dx ${JSON.stringify(c)}`);
  }
});

}

test('matmul gradients (BatchMatMul with transposed operands) match the cpu backend', async () => {
  for (const [m, k, n, ta, tb] of [[5, 7, 3, false, false], [5, 7, 3, true, false], [5, 7, 3, false, true], [4, 9, 6, true, true], [64, 33, 10, false, false]] as const) {
    const aShape = ta ? [2, k, m] : [2, m, k];
    const bShape = tb ? [2, n, k] : [2, k, n];
    const [cpu, wasm] = await onBoth([{ shape: aShape, seed: 7 }, { shape: bShape, seed: 8 }], (a, b) => {
      const g = tf.grads((aa: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(tf.matMul(aa, bb, ta, tb))));
      return [tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb), ...g([a as tf.Tensor, b as tf.Tensor])];
    });
    cpu.forEach((v, i) => assertClose(v, wasm[i] as Float32Array, `${m}x${k}x${n} ${ta} ${tb} output ${i}`));
  }
});

test('the kernels module is in use once the wasm backend started', async () => {
  await useBackend('wasm', wasmDir);
  assert.equal(simdInUse(), true);
});
