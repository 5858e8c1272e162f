// Every initializer name the model file accepts builds and trains on the tfjs engine and draws the spread
// the Weights panel says it does (the orthogonal one once failed on a tensor method tfjs-core alone lacks).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { INITIALIZERS } from '../../model/language/vocabulary';
import { buildNetwork } from '../../engine/train/buildModel';
import { parseModel } from '../../model/language/parse';
import { initializerStd } from '../../engine/stats/targets';

const IN = 48;
const UNITS = 32;

async function kernelOf(name: string): Promise<{ w: Float32Array; trains: boolean }> {
  const text = `name: init-${name}
data: {dataset: xor}
model:
  input: [${IN}]
  layers:
    - dense: {units: ${UNITS}, activation: tanh, kernelInitializer: ${name}}
    - dense: {units: 1, activation: sigmoid}
train: {loss: binaryCrossentropy, optimizer: sgd, learningRate: 0.1, epochs: 1, batchSize: 8}
`;
  const parsed = parseModel(text, { checkData: false });
  assert.ok(parsed.spec, `${name}: ${JSON.stringify(parsed.diagnostics)}`);
  const model = buildNetwork(parsed.spec.model, 7);
  const w = model.layers.find((l) => l.getWeights().length > 0)!.getWeights()[0]!.dataSync() as Float32Array;
  model.compile({ optimizer: tf.train.sgd(0.1), loss: 'binaryCrossentropy' });
  const x = tf.randomUniform([8, IN]);
  const y = tf.ones([8, 1]);
  const loss = await model.trainOnBatch(x, y);
  tf.dispose([x, y]);
  model.dispose();
  return { w: Float32Array.from(w), trains: Number.isFinite(loss as number) };
}

test('every initializer name builds a layer that trains', async () => {
  await tf.setBackend('cpu');
  for (const name of INITIALIZERS) {
    const { trains } = await kernelOf(name);
    assert.ok(trains, `${name}: the first step's loss is not finite`);
  }
});

test('orthogonal kernels have orthonormal columns (WᵀW = I)', async () => {
  await tf.setBackend('cpu');
  const { w } = await kernelOf('orthogonal');
  let worst = 0;
  for (let a = 0; a < UNITS; a++) {
    for (let b = 0; b < UNITS; b++) {
      let dot = 0;
      for (let r = 0; r < IN; r++) dot += w[r * UNITS + a]! * w[r * UNITS + b]!;
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  assert.ok(worst < 1e-4, `largest deviation of WᵀW from I: ${worst}`);
});

test("the Weights panel's σ for the file's initializer is the spread tfjs draws", async () => {
  // The panel writes "heNormal gives σ=…" beside the histogram: it must be what the layer holds, for
  // both spellings of LeCun's, and for the normal ones, which tfjs cuts at two std without widening.
  await tf.setBackend('cpu');
  for (const name of INITIALIZERS) {
    const own = initializerStd({ name, options: {} }, IN, UNITS);
    if (own === undefined || own === 0) continue;
    const { w } = await kernelOf(name);
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const std = Math.sqrt(w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length);
    // 1536 draws: the sample std is within 6% of the true one far beyond chance.
    assert.ok(Math.abs(std / own - 1) < 0.06, `${name}: drawn σ ${std.toFixed(4)}, panel σ ${own.toFixed(4)}`);
  }
});
