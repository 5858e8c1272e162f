// Layer normalization by broadcasting gives tfjs's own values and gradients (it tiled, and the
// gradient of a tile made it 30x slower than batch normalization), and saves as LayerNormalization.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { FastLayerNormalization } from '../../engine/train/customLayers';

const close = (a: tf.Tensor, b: tf.Tensor, what: string): void => {
  const x = a.dataSync();
  const y = b.dataSync();
  assert.equal(x.length, y.length, what);
  for (let i = 0; i < x.length; i++) assert.ok(Math.abs((x[i] as number) - (y[i] as number)) <= 1e-4 * Math.max(1, Math.abs(y[i] as number)), `${what}[${i}]: ${x[i]} vs ${y[i]}`);
};

for (const [shape, axis] of [[[4, 6], -1], [[3, 5, 5, 4], -1], [[3, 5, 5, 4], [1, 2, 3]], [[2, 7, 3], 1]] as [number[], number | number[]][]) {
  test(`values and gradients equal tfjs's layerNormalization: input ${JSON.stringify(shape)}, axis ${JSON.stringify(axis)}`, async () => {
    await tf.setBackend('cpu');
    const x = tf.randomNormal(shape, 1, 3, 'float32', 7);
    const ours = new FastLayerNormalization({ axis, epsilon: 1e-3, betaInitializer: 'randomNormal', gammaInitializer: 'randomNormal' });
    const theirs = tfl.layers.layerNormalization({ axis, epsilon: 1e-3 });
    ours.build(shape);
    theirs.build(shape);
    theirs.setWeights(ours.getWeights());
    close(ours.apply(x) as tf.Tensor, theirs.apply(x) as tf.Tensor, 'output');
    const w = tf.randomNormal(shape, 0, 1, 'float32', 9);
    const grads = (layer: tfl.layers.Layer) => tf.grads((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input) as tf.Tensor, w)))([x]);
    close(grads(ours)[0] as tf.Tensor, grads(theirs)[0] as tf.Tensor, 'd input');
    const wgrad = (layer: tfl.layers.Layer) => tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, w)) as tf.Scalar, layer.trainableWeights.map((v) => (v as unknown as { val: tf.Variable }).val));
    const a = wgrad(ours).grads;
    const b = wgrad(theirs).grads;
    const names = (g: tf.NamedTensorMap) => Object.keys(g).sort();
    assert.equal(names(a).length, 2, 'gamma and beta');
    assert.equal(names(b).length, 2, 'gamma and beta');
    names(a).forEach((ka, i) => close(a[ka] as tf.Tensor, b[names(b)[i] as string] as tf.Tensor, `d ${ka}`));
  });
}

test('saves as LayerNormalization with the same config', () => {
  const layer = new FastLayerNormalization({ axis: -1, epsilon: 1e-5 });
  assert.equal(layer.getClassName(), 'LayerNormalization');
  assert.equal(layer.getConfig().epsilon, 1e-5);
});
