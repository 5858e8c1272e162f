// The direct convolution kernels (engine/train/kernels/simd/directConv.ts: Conv2D, and
// Conv2DBackpropFilter when the input channels are a multiple of 4) against tfjs's cpu backend:
// values and both gradients, output channels 8 and 16, odd image sizes (border positions take
// the one-position path), strides, dilations and 'same' padding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
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
