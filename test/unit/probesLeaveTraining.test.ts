// Looking at a network must not change how it trains: the statistics' gradient pass and the missing-
// kernel probe run in training mode, which moves batch normalization's moving statistics and
// advances dropout's masks unless they are put back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { trainWithStats } from './statsHelpers';
import { XOR } from './helpers';
import { makeLayer } from '../../engine/train/layerFactory';
import { withoutSideEffects } from '../../engine/train/withoutSideEffects';
import type { FreshMaskDropout } from '../../engine/train/customLayers/freshMaskDropout';
import type { LayerSpec } from '../../model/language/model';

const NORMALIZED = XOR.replace('epochs: 60', 'epochs: 3').replace('samples: 400', 'samples: 160')
  .replace('    - dense: {units: 8, activation: tanh}', '    - dense: {units: 8}\n    - batchNormalization: {}\n    - activation: {activation: tanh}\n    - dropout: {rate: 0.2}');

test('statistics every step leave a batch-norm and dropout model training exactly as with statistics off', async () => {
  const off = await trainWithStats(NORMALIZED.replace('seed: 1', 'seed: 1\n  statistics: off'));
  const every = await trainWithStats(NORMALIZED.replace('seed: 1', 'seed: 1\n  statistics: {every: 1, probe: 16}'));
  assert.equal(off.status, 'completed');
  assert.equal(every.status, 'completed');
  assert.ok(every.stats.length > 10, 'statistics were collected');
  assert.deepEqual(every.epochs.map((e) => [e.loss, e.valLoss, e.accuracy]), off.epochs.map((e) => [e.loss, e.valLoss, e.accuracy]));
});

test('withoutSideEffects puts back the moving statistics and the dropout sequence a training-mode pass moved', async () => {
  await tf.setBackend('cpu');
  const model = tfl.sequential({ layers: [
    tfl.layers.dense({ inputShape: [4], units: 6 }),
    tfl.layers.batchNormalization({ momentum: 0.5 }),
    makeLayer({ kind: 'dropout', id: 'drop', config: { rate: 0.5 } } as unknown as LayerSpec, 3),
  ] });
  const x = tf.randomNormal([8, 4], 2, 3, 'float32', 1);
  const moving = () => model.nonTrainableWeights.map((w) => Array.from((w.read() as tf.Tensor).dataSync()));
  const dropout = model.layers[2] as FreshMaskDropout;
  const before = moving();
  withoutSideEffects(model, () => tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor));
  assert.deepEqual(moving(), before);
  assert.equal(dropout.masksDrawn, 0);
  // The same pass without the guard does move them: the check above can fail.
  tf.tidy(() => model.apply(x, { training: true }) as tf.Tensor);
  assert.notDeepEqual(moving(), before);
  assert.equal(dropout.masksDrawn, 1);
  x.dispose();
  model.dispose();
});
