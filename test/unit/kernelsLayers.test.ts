// The ops the course's layers train with, on the wasm backend with Model Lab's kernels, against the
// cpu backend: values AND gradients on random shapes, strides, paddings, dilations and odd sizes.
// Depthwise/separable/transposed convolutions, average pooling, embeddings (gather's gradient is an
// UnsortedSegmentSum), batch and layer normalisation, and the bias add/sum fast paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { setSimdEnabled, simd } from '../../engine/train/kernels/simdLoops';
import { wasmDir } from './helpers';
import { compare, picker } from './kernelCompare';

type Pad = 'valid' | 'same';
const sq = (t: tf.Tensor) => tf.sum(tf.square(t));

for (const useSimd of [true, false]) {
  const loops = useSimd ? 'SIMD loops' : 'JS loops';

  test(`depthwise conv: value and both gradients (DepthwiseConv2dNativeBackpropInput/Filter), ${loops}`, async () => {
    await useBackend('wasm', wasmDir);
    setSimdEnabled(useSimd);
    if (useSimd) assert.ok(simd(), 'the kernels module is not loaded: build first (npm run build)');
    const pick = picker(21);
    for (let i = 0; i < 20; i++) {
      // tfjs has no gradient for a dilated depthwise convolution (on any backend): dilation 1.
      const c = { b: pick([1, 2]), h: pick([5, 7, 8]), w: pick([5, 6, 9]), ch: pick([1, 3, 4, 5, 8]), m: pick([1, 1, 2, 3]), k: pick([1, 2, 3]), s: pick([1, 2, 3]), d: 1, pad: pick<Pad>(['valid', 'same']) };
      if (c.pad === 'valid' && c.k > Math.min(c.h, c.w)) continue;
      await compare(`depthwise ${JSON.stringify(c)}`, [{ shape: [c.b, c.h, c.w, c.ch], seed: i }, { shape: [c.k, c.k, c.ch, c.m], seed: 100 + i }], (x, f) => {
        const run = (xx: tf.Tensor, ff: tf.Tensor) => tf.depthwiseConv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d);
        return [run(x as tf.Tensor, f as tf.Tensor), ...tf.grads((xx: tf.Tensor, ff: tf.Tensor) => sq(run(xx, ff)))([x as tf.Tensor, f as tf.Tensor])];
      });
    }
  });

  test(`separable conv (depthwise then pointwise): value and the three gradients, ${loops}`, async () => {
    await useBackend('wasm', wasmDir);
    setSimdEnabled(useSimd);
    if (useSimd) assert.ok(simd(), 'the kernels module is not loaded: build first (npm run build)');
    const pick = picker(22);
    for (let i = 0; i < 10; i++) {
      const c = { b: pick([1, 3]), h: pick([6, 7]), ch: pick([2, 3, 4]), m: pick([1, 2]), o: pick([1, 5, 8]), k: pick([2, 3]), s: pick([1, 2]), pad: pick<Pad>(['valid', 'same']) };
      await compare(`separable ${JSON.stringify(c)}`, [{ shape: [c.b, c.h, c.h, c.ch], seed: i }, { shape: [c.k, c.k, c.ch, c.m], seed: 50 + i }, { shape: [1, 1, c.ch * c.m, c.o], seed: 80 + i }], (x, d, p) => {
        const run = (xx: tf.Tensor, dd: tf.Tensor, pp: tf.Tensor) => tf.separableConv2d(xx as tf.Tensor4D, dd as tf.Tensor4D, pp as tf.Tensor4D, c.s, c.pad);
        return [run(x as tf.Tensor, d as tf.Tensor, p as tf.Tensor), ...tf.grads((xx: tf.Tensor, dd: tf.Tensor, pp: tf.Tensor) => sq(run(xx, dd, pp)))([x as tf.Tensor, d as tf.Tensor, p as tf.Tensor])];
      });
    }
  });
}

test('transposed conv (Conv2DBackpropInput as the forward pass): value and both gradients', async () => {
  const pick = picker(23);
  for (let i = 0; i < 14; i++) {
    const c = { b: pick([1, 2]), h: pick([3, 4, 5]), w: pick([3, 6]), cin: pick([1, 3, 4]), cout: pick([1, 2, 5]), k: pick([1, 2, 3]), s: pick([1, 2, 3]), pad: pick<Pad>(['valid', 'same']) };
    const oh = c.pad === 'same' ? c.h * c.s : (c.h - 1) * c.s + c.k;
    const ow = c.pad === 'same' ? c.w * c.s : (c.w - 1) * c.s + c.k;
    await compare(`conv2dTranspose ${JSON.stringify(c)}`, [{ shape: [c.b, c.h, c.w, c.cin], seed: i }, { shape: [c.k, c.k, c.cout, c.cin], seed: 40 + i }], (x, f) => {
      const run = (xx: tf.Tensor, ff: tf.Tensor) => tf.conv2dTranspose(xx as tf.Tensor4D, ff as tf.Tensor4D, [c.b, oh, ow, c.cout], c.s, c.pad);
      return [run(x as tf.Tensor, f as tf.Tensor), ...tf.grads((xx: tf.Tensor, ff: tf.Tensor) => sq(run(xx, ff)))([x as tf.Tensor, f as tf.Tensor])];
    });
  }
});

test("conv2d and depthwise forward with padding 'same' and a stride larger than the kernel (XNNPACK's SAME flag refuses it)", async () => {
  for (const [k, s] of [[1, 2], [2, 3], [1, 3], [3, 3], [2, 2]] as const) {
    await compare(`conv2d k${k} s${s}`, [{ shape: [2, 8, 7, 3], seed: k }, { shape: [k, k, 3, 4], seed: s }, { shape: [k, k, 3, 2], seed: 9 }], (x, f, d) => [
      tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, s, 'same'), tf.depthwiseConv2d(x as tf.Tensor4D, d as tf.Tensor4D, s, 'same'),
      tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: s, pad: 'same', activation: 'relu' }),
    ]);
  }
});

test('average pooling (AvgPool, AvgPoolGrad): value and gradient, any padding', async () => {
  const pick = picker(24);
  for (let i = 0; i < 16; i++) {
    const c = { b: pick([1, 2]), h: pick([4, 5, 7, 8]), w: pick([4, 6, 9]), ch: pick([1, 3, 8]), p: pick([1, 2, 3]), s: pick([1, 2, 3]), pad: pick<Pad>(['valid', 'same']) };
    if (c.pad === 'valid' && c.p > Math.min(c.h, c.w)) continue;
    await compare(`avgPool ${JSON.stringify(c)}`, [{ shape: [c.b, c.h, c.w, c.ch], seed: i }], (x) => {
      const run = (xx: tf.Tensor) => tf.avgPool(xx as tf.Tensor4D, c.p, c.s, c.pad);
      return [run(x as tf.Tensor), tf.grad((xx: tf.Tensor) => sq(run(xx)))(x as tf.Tensor)];
    });
  }
});

test('embedding lookup: gather and its gradient (UnsortedSegmentSum), repeated and unused ids', async () => {
  for (const [vocab, dim, b, t] of [[10, 4, 3, 5], [7, 1, 2, 9], [50, 16, 4, 3]] as const) {
    await compare(`gather ${vocab}x${dim}`, [{ shape: [vocab, dim], seed: 1 }, { shape: [b, t], seed: 2, dtype: 'int32', max: vocab }], (table, ids) => {
      const run = (tt: tf.Tensor) => tf.gather(tt, ids as tf.Tensor);
      return [run(table as tf.Tensor), tf.grad((tt: tf.Tensor) => sq(run(tt)))(table as tf.Tensor)];
    });
  }
  // Direct: ids past numSegments contribute nothing, on both backends.
  await compare('unsortedSegmentSum', [{ shape: [12, 3, 2], seed: 3 }, { shape: [12], seed: 4, dtype: 'int32', max: 7 }], (x, ids) => tf.unsortedSegmentSum(x as tf.Tensor, ids as tf.Tensor1D, 5));
});

test('batch and layer normalisation: values and gradients of x, mean/variance paths, gamma, beta', async () => {
  for (const shape of [[4, 5, 5, 3], [7, 6], [2, 3, 4, 8]]) {
    const ch = shape[shape.length - 1] as number;
    const all = shape.map((_, i) => i).slice(0, -1);
    await compare(`batchNorm ${shape}`, [{ shape, seed: 5 }, { shape: [ch], seed: 6 }, { shape: [ch], seed: 7 }], (x, gamma, beta) => {
      // Training: statistics of the batch (tf.moments), so the gradient flows through them too.
      const bn = (xx: tf.Tensor, g: tf.Tensor, bb: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, all);
        return tf.batchNorm(xx, mean, variance, bb, g, 1e-3);
      };
      const ln = (xx: tf.Tensor, g: tf.Tensor, bb: tf.Tensor) => {
        const { mean, variance } = tf.moments(xx, -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(xx, mean), tf.sqrt(tf.add(variance, 1e-3))), g), bb);
      };
      const args = [x, gamma, beta] as tf.Tensor[];
      return [
        bn(x as tf.Tensor, gamma as tf.Tensor, beta as tf.Tensor), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => sq(tf.mul(bn(a, b, c), tf.scalar(0.7))))(args),
        ln(x as tf.Tensor, gamma as tf.Tensor, beta as tf.Tensor), ...tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => sq(tf.mul(ln(a, b, c), tf.scalar(0.7))))(args),
      ];
    });
  }
  // Inference: moving statistics as inputs (FusedBatchNorm with given mean and variance).
  await compare('batchNorm with moving statistics', [{ shape: [3, 4, 4, 6], seed: 8 }, { shape: [6], seed: 9 }, { shape: [6], seed: 10 }], (x, m, v) => {
    const run = (xx: tf.Tensor) => tf.batchNorm(xx, m as tf.Tensor, tf.add(tf.abs(v as tf.Tensor), 0.5), v as tf.Tensor, m as tf.Tensor, 1e-3);
    return [run(x as tf.Tensor), tf.grad((xx: tf.Tensor) => sq(run(xx)))(x as tf.Tensor)];
  });
});

for (const useSimd of [true, false]) {
  test(`bias add and its gradient (Add broadcast, Sum over leading axes), ${useSimd ? 'fast path' : 'shipped kernels'}`, async () => {
    await useBackend('wasm', wasmDir);
    setSimdEnabled(useSimd);
    if (useSimd) assert.ok(simd(), 'the kernels module is not loaded: build first (npm run build)');
    for (const [shape, biasShape] of [[[3, 5, 5, 8], [8]], [[64, 10], [10]], [[2, 3, 4, 5], [1, 5]], [[7, 3], [3]], [[9, 1], [1]], [[4, 17], [1, 17]]] as const) {
      await compare(`bias ${shape} + ${biasShape}`, [{ shape: [...shape], seed: 11 }, { shape: [...biasShape], seed: 12 }], (x, b) => {
        const g = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => sq(tf.mul(tf.add(xx, bb), tf.scalar(1.3))));
        const gReversed = tf.grads((xx: tf.Tensor, bb: tf.Tensor) => sq(tf.add(bb, xx)));
        return [tf.add(x as tf.Tensor, b as tf.Tensor), tf.add(b as tf.Tensor, x as tf.Tensor), ...g([x as tf.Tensor, b as tf.Tensor]), ...gReversed([x as tf.Tensor, b as tf.Tensor]),
          tf.sum(x as tf.Tensor, shape.map((_, i) => i).slice(0, -1)), tf.sum(x as tf.Tensor, shape.map((_, i) => i).slice(0, -1), true)];
      });
    }
  });
}

test('clone (Identity shares the data) keeps its values while the original is replaced', async () => {
  await useBackend('wasm', wasmDir);
  const before = tf.memory().numTensors;
  const a = tf.tensor1d([1, 2, 3]);
  const b = tf.clone(a);
  a.dispose();
  assert.deepEqual([...b.dataSync()], [1, 2, 3]);
  const v = tf.variable(b);
  const next = tf.tensor1d([4, 5, 6]);
  v.assign(next);
  next.dispose();
  assert.deepEqual([...b.dataSync()], [1, 2, 3]);
  tf.dispose([b, v]);
  assert.equal(tf.memory().numTensors, before);
});
