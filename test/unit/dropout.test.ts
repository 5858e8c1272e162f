// Dropout draws a fresh mask on every training step, and the sequence of masks is the same for the
// same seed: the "ensemble of thinned networks" the course describes, reproducible from train.seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { makeLayer } from '../../engine/train/layerFactory';
import type { FreshMaskDropout } from '../../engine/train/customLayers/freshMaskDropout';
import { makeRng } from '../../common/random';
import type { LayerSpec } from '../../model/language/model';

const spec = { kind: 'dropout', id: 'drop', config: { rate: 0.5 } } as unknown as LayerSpec;

/** The kept/dropped pattern of `steps` training calls on a row of ones, as 0/1 strings. */
function masks(seed: number, steps: number): string[] {
  const layer = makeLayer(spec, seed);
  const x = tf.ones([4, 32]);
  const out: string[] = [];
  for (let i = 0; i < steps; i++) {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    out.push(Array.from(y.dataSync(), (v) => (v === 0 ? '0' : '1')).join(''));
    y.dispose();
  }
  x.dispose();
  return out;
}

test('dropout: no two training steps draw the same mask', async () => {
  await tf.setBackend('cpu');
  const seq = masks(7, 20);
  assert.equal(new Set(seq).size, seq.length, 'a mask repeated within 20 steps');
  for (const m of seq) {
    const dropped = [...m].filter((c) => c === '0').length / m.length;
    assert.ok(dropped > 0.3 && dropped < 0.7, `rate 0.5 dropped ${dropped}`);
  }
});

test('dropout: the same seed gives the same masks in the same order, another seed others', async () => {
  await tf.setBackend('cpu');
  assert.deepEqual(masks(7, 5), masks(7, 5));
  assert.notDeepEqual(masks(7, 5), masks(8, 5));
});

test('dropout: inference passes everything and draws nothing; the layer saves as a plain Dropout', async () => {
  await tf.setBackend('cpu');
  const layer = makeLayer(spec, 3);
  const x = tf.ones([2, 8]);
  const y = layer.apply(x, { training: false }) as tf.Tensor;
  assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
  assert.equal(layer.getClassName(), 'Dropout');
  const model = tfl.sequential({ layers: [tfl.layers.inputLayer({ inputShape: [8] }), makeLayer(spec, 3)] });
  const restored = await tfl.models.modelFromJSON({ modelTopology: model.toJSON(null, false) } as never);
  assert.equal(restored.layers.at(-1)?.getClassName(), 'Dropout');
  tf.dispose([x, y]);
});

test('dropout: the mask is makeRng of the per-call seed, one value per element in order, with tfjs\'s float32 arithmetic', async () => {
  await tf.setBackend('cpu');
  const rate = 0.3;
  const layer = makeLayer({ ...spec, config: { rate } } as unknown as LayerSpec, 4000000001);
  const x = tf.tensor(Float32Array.from({ length: 2 * 3 * 4 * 5 }, (_, i) => i + 1), [2, 3, 4, 5]);
  const xs = x.dataSync();
  const keep = Math.fround(1 - rate);
  for (let call = 0; call < 3; call++) {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    // The definition the PyTorch runner also follows (engines/pytorch/tests/test_layers.py).
    const rng = makeRng(Number((4000000001n + BigInt(call) * 0x9e3779b1n) % 2n ** 31n));
    const want = Array.from(xs, (v) => Math.fround(v * Math.fround(Math.floor(Math.fround(Math.fround(rng()) + keep)) / keep)));
    assert.deepEqual(Array.from(y.dataSync()), want, `call ${call}`);
    y.dispose();
  }
  assert.equal((layer as FreshMaskDropout).masksDrawn, 3);
  x.dispose();
});

test('dropout: the gradient is the same multiply, and training calls and their gradients leave no tensor behind', async () => {
  await tf.setBackend('cpu');
  const layer = makeLayer(spec, 11) as FreshMaskDropout;
  const x = tf.randomNormal([3, 4, 4, 2], 0, 1, 'float32', 5);
  layer.apply(x, { training: false }); // builds the layer outside the count
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) {
    tf.tidy(() => {
      const draws = layer.masksDrawn;
      const g = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v, { training: true }) as tf.Tensor))(x);
      layer.rewindTo(draws);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      // d/dx sum(x * m) = m, and y = x * m with the same m (the same seed after the rewind).
      assert.deepEqual(Array.from(tf.mul(x, g).dataSync()), Array.from(y.dataSync()));
      assert.ok(g.dataSync().some((v) => v === 0) && g.dataSync().some((v) => v === 2), 'the gradient is the 0/2 mask');
    });
  }
  assert.equal(tf.memory().numTensors, before, 'tensors leaked by training calls');
  x.dispose();
});
