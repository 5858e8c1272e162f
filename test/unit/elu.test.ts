// `elu: {alpha}` builds, computes x / alpha·(exp(x) - 1), trains on alpha·exp(x) below zero on wasm
// and cpu, and survives the saved model's round trip (tfjs-layers 4.22's ELU throws for alpha ≠ 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../../engine/train/backend';
import { buildNetwork } from '../../engine/train/buildModel';
import { loadExportedModel } from '../../engine/export/finalModel';
import { fileModelHandler } from '../../engine/train/callbacks/fileModelHandler';
import { parseModel } from '../../model/language/parse';
import { wasmDir } from './helpers';

/** Pairs, as the moons data's two features. */
const XS = [-30, -3, -1, -0.2, -1e-3, 0, 1e-3, 0.5, 2, 100];
const eluOf = (x: number, alpha: number): number => (x > 0 ? x : alpha * Math.expm1(x));
/** Keras's and PyTorch's slope: alpha·exp(x) for x ≤ 0 (alpha at 0), 1 above. */
const slopeOf = (x: number, alpha: number): number => (x > 0 ? 1 : alpha * Math.exp(x));

const FILE = (alpha: number): string => `name: elu
data: {dataset: moons, samples: 64}
model:
  input: [2]
  layers:
    - elu: {id: e, alpha: ${alpha}}
train: {loss: meanSquaredError, optimizer: sgd, epochs: 1}
`;

function build(alpha: number): tfl.LayersModel {
  const parsed = parseModel(FILE(alpha));
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity === 'error'), [], 'the model file is accepted');
  assert.ok(parsed.spec);
  return buildNetwork(parsed.spec.model, 1);
}

for (const backend of ['wasm', 'cpu'] as const) {
  test(`elu with alpha 0.5 and 2 on ${backend}: values and gradient are Keras's`, async () => {
    await useBackend(backend, wasmDir);
    for (const alpha of [0.5, 2, 1]) {
      const model = build(alpha);
      const before = tf.memory().numTensors;
      const [y, dx] = tf.tidy(() => {
        const x = tf.tensor2d(XS, [XS.length / 2, 2]);
        return [(model.predict(x) as tf.Tensor).dataSync(), tf.grad((t: tf.Tensor) => tf.sum(model.apply(t) as tf.Tensor))(x).dataSync()] as [Float32Array, Float32Array];
      });
      XS.forEach((v, i) => {
        const want = eluOf(v, alpha);
        assert.ok(Math.abs((y[i] as number) - want) <= 1e-6 * Math.max(1, Math.abs(want)), `alpha ${alpha}, elu(${v}) = ${y[i]}, want ${want}`);
        const slope = slopeOf(v, alpha);
        assert.ok(Math.abs((dx[i] as number) - slope) <= 1e-6 * Math.max(1, slope), `alpha ${alpha}, elu'(${v}) = ${dx[i]}, want ${slope}`);
      });
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      model.dispose();
    }
  });
}

test('a model with elu alpha 0.5 saves as a Keras ELU with its alpha and loads back with the same outputs', async () => {
  await useBackend('wasm', wasmDir);
  const model = build(0.5);
  const dir = mkdtempSync(join(tmpdir(), 'elu-save-'));
  try {
    await model.save(fileModelHandler(dir));
    const loaded = await loadExportedModel(dir);
    const layer = loaded.layers.find((l) => l.getClassName() === 'ELU');
    assert.ok(layer, `an ELU layer: ${loaded.layers.map((l) => l.getClassName()).join(', ')}`);
    assert.equal(layer.getConfig().alpha, 0.5);
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor2d(XS, [XS.length / 2, 2]);
      return [(model.predict(x) as tf.Tensor).dataSync(), (loaded.predict(x) as tf.Tensor).dataSync()] as [Float32Array, Float32Array];
    });
    assert.deepEqual([...b], [...a]);
    assert.ok((b[1] as number) < -0.45 && (b[1] as number) > -0.5, `elu(-3) with alpha 0.5: ${b[1]}`);
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});
