// The direct convolution kernels (engine/train/kernels/simd/directConv.ts: Conv2D, and
// Conv2DBackpropFilter when the input channels are a multiple of 4) against tfjs's cpu backend:
// values and both gradients, output channels 8 and 16, odd image sizes (border positions take
// the one-position path), strides, dilations and 'same' padding; and the direct input gradient
// (transposedConv.ts) with input channels a multiple of 8.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { directInputFits } from '../../engine/train/kernels/conv2dBackpropInput';
import { directConvFits } from '../../engine/train/kernels/conv2dDirect';
import { wasmDir } from './helpers';
import { assertClose, onBoth, picker } from './kernelCompare';

test('the direct kernels take NHWC convolutions with a multiple of 8 output channels', async () => {
  await useBackend('wasm', wasmDir);
  assert.equal(directConvFits([3, 3, 8, 16]), true);
  assert.equal(directConvFits([3, 3, 8, 12]), false);
  assert.equal(directConvFits([3, 3, 8, 16], 'NCHW'), false);
});

test('direct conv2d: value, filter and input gradients match the cpu backend', async () => {
  const pick = picker(31);
  const cases = [
    { b: 2, h: 28, w: 28, c: 1, k: 3, f: 8, s: 1, d: 1, pad: 'valid' as const },
    { b: 2, h: 13, w: 13, c: 8, k: 3, f: 16, s: 1, d: 1, pad: 'valid' as const },
    { b: 1, h: 9, w: 11, c: 4, k: 3, f: 8, s: 1, d: 1, pad: 'same' as const },
    // 34 KB of dy and x an image: the filter gradient runs one image at a time, carrying its sums.
    { b: 3, h: 28, w: 28, c: 4, k: 3, f: 8, s: 1, d: 1, pad: 'same' as const },
  ];
  for (let i = 0; i < 16; i++) {
    cases.push({ b: pick([1, 2]), h: pick([5, 7, 8, 11]), w: pick([5, 6, 9, 10]), c: pick([1, 3, 4, 8]), k: pick([1, 2, 3, 5]), f: pick([8, 16]), s: pick([1, 2]), d: pick([1, 1, 2]), pad: pick(['valid', 'same'] as const) });
  }
  for (const c of cases) {
    const span = (c.k - 1) * c.d + 1;
    if (c.pad === 'valid' && (span > c.h || span > c.w)) continue;
    if (c.d > 1 && c.s > 1) continue; // tfjs allows dilation or stride, not both
    const [cpu, wasm] = await onBoth([{ shape: [c.b, c.h, c.w, c.c], seed: 1 }, { shape: [c.k, c.k, c.c, c.f], seed: 2 }], (x, filter) => {
      const conv = (xx: tf.Tensor, ff: tf.Tensor) => tf.conv2d(xx as tf.Tensor4D, ff as tf.Tensor4D, c.s, c.pad, 'NHWC', c.d);
      if (c.d > 1) return [conv(x as tf.Tensor, filter as tf.Tensor)]; // tfjs has no gradient for dilated conv2d
      const g = tf.grads((xx: tf.Tensor, ff: tf.Tensor) => tf.sum(tf.mul(conv(xx, ff), tf.scalar(1.5))));
      return [conv(x as tf.Tensor, filter as tf.Tensor), ...g([x as tf.Tensor, filter as tf.Tensor])];
    });
    cpu.forEach((v, i) => assertClose(v, wasm[i] as Float32Array, `${JSON.stringify(c)} ${['value', 'dx', 'dFilter'][i]}`));
  }
});

test('the direct input gradient takes NHWC filters with a multiple of 8 input channels', async () => {
  await useBackend('wasm', wasmDir);
  assert.equal(directInputFits([3, 3, 8, 16]), true);
  assert.equal(directInputFits([3, 3, 16, 5]), true);
  assert.equal(directInputFits([3, 3, 4, 16]), false);
});

test('direct input gradient (Conv2DBackpropInput) matches the cpu backend: padding, strides, odd shapes', async () => {
  const pick = picker(47);
  const cases = [
    { b: 2, h: 13, w: 13, c: 8, k: 3, f: 16, s: 1, pad: 'valid' as const }, // the bench CNN's conv2
    { b: 1, h: 14, w: 14, c: 8, k: 3, f: 16, s: 1, pad: 'same' as const },
    { b: 1, h: 9, w: 11, c: 16, k: 3, f: 5, s: 2, pad: 'same' as const },
    { b: 2, h: 10, w: 7, c: 8, k: 2, f: 8, s: 2, pad: 'valid' as const },
    { b: 1, h: 3, w: 2, c: 8, k: 5, f: 3, s: 1, pad: 'same' as const }, // taps wider than the image
  ];
  for (let i = 0; i < 14; i++) {
    cases.push({ b: pick([1, 2]), h: pick([4, 5, 7, 8, 13]), w: pick([1, 5, 6, 9, 10]), c: pick([8, 16, 24]), k: pick([1, 2, 3, 4, 5]), f: pick([1, 3, 8, 16]), s: pick([1, 2, 3]), pad: pick(['valid', 'same'] as const) });
  }
  for (const c of cases) {
    if (c.pad === 'valid' && (c.k > c.h || c.k > c.w)) continue;
    assert.equal(directInputFits([c.k, c.k, c.c, c.f]), true);
    const oh = c.pad === 'same' ? Math.ceil(c.h / c.s) : Math.floor((c.h - c.k) / c.s) + 1;
    const ow = c.pad === 'same' ? Math.ceil(c.w / c.s) : Math.floor((c.w - c.k) / c.s) + 1;
    const [cpu, wasm] = await onBoth([{ shape: [c.b, oh, ow, c.f], seed: 3 }, { shape: [c.k, c.k, c.c, c.f], seed: 4 }], (dy, filter) =>
      tf.conv2dTranspose(dy as tf.Tensor4D, filter as tf.Tensor4D, [c.b, c.h, c.w, c.c], c.s, c.pad));
    assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, `${JSON.stringify(c)} dx`);
  }
});
