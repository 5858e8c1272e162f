// The PyTorch engine's optimizers, clipping, schedules and layer shapes against the tfjs engine's.
// Every optimizer rule trains the dense parity model 50 steps in both engines from the same weights
// and batches (with clipping and a schedule on some); every schedule kind gives the same planned
// rate at every step as engine/train/schedules.ts; one model holding every catalogue layer kind
// gets, layer by layer, the output shape and parameter count the model analysis computes, and from
// tfjs's initial weights the same inference output as tfjs's layer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { parseModel } from '../../model/language/parse';
import { buildNetwork, sanitize } from '../../engine/train/buildModel';
import { loadDataset } from '../../engine/data/load';
import { encode } from '../../engine/train/tensors';
import { datasetsDir } from '../unit/helpers';
import { LAYER_NAMES } from '../../model/language/layers';
import type { ModelSpec, OptimizerSpec } from '../../model/language/model';
import { plannedCurve } from '../../engine/train/schedules';
import { assertSameLosses, bothEngines, parse, plain, requireTorch, runPython, useWasm, writeData, writeWeights } from './torchParityHelpers';

before(useWasm);

const dense = (train: string): string => `name: dense
data: {dataset: moons, samples: 200, noise: 0.2}
model:
  input: [2]
  layers:
    - dense: {units: 16, activation: relu, kernelRegularizer: {l1: 0.001}}
    - dense: {units: 16, activation: tanh, biasRegularizer: {l2: 0.01}}
    - dense: {units: 2, activation: softmax}
train:
  loss: categoricalCrossentropy
  batchSize: 16
  epochs: 10
  seed: 3
${train}`;

const RULES: [string, OptimizerSpec, number][] = [
  ['momentum', { name: 'sgd', options: { momentum: 0.9 } }, 0.05],
  ['nesterov', { name: 'sgd', options: { momentum: 0.9, nesterov: true } }, 0.05],
  ['rmsprop', { name: 'rmsprop', options: {} }, 0.005],
  ['rmsprop with momentum', { name: 'rmsprop', options: { momentum: 0.5, decay: 0.8 } }, 0.002],
  // Both engines take Keras's sqrt(ms - mg² + eps) (engine/train/centeredRmsprop.ts).
  ['centered rmsprop', { name: 'rmsprop', options: { centered: true, momentum: 0.5 } }, 0.002],
  ['adagrad', { name: 'adagrad', options: {} }, 0.1],
  ['adadelta', { name: 'adadelta', options: {} }, 1],
  ['adamax', { name: 'adamax', options: { decay: 0.01 } }, 0.01],
  ['adamw', { name: 'adamw', options: { weightDecay: 0.05 } }, 0.01],
  ['sgd clipNorm', { name: 'sgd', options: { clipNorm: 0.1 } }, 0.5],
  ['adam clipValue', { name: 'adam', options: { clipValue: 0.01 } }, 0.01],
];

for (const [label, optimizer, learningRate] of RULES) {
  test(`${label}: PyTorch's per-step losses equal tfjs's`, (t) => {
    requireTorch();
    const parsed = parse(dense('  optimizer: sgd\n  learningRate: 0.1\n'));
    const spec: ModelSpec = { ...parsed, train: { ...parsed.train, optimizer, learningRate } };
    const { tfjs, torch } = bothEngines(spec);
    assertSameLosses(t, label, tfjs, torch, 1e-3);
    assert.ok((tfjs[tfjs.length - 1] as number) < (tfjs[0] as number), `loss fell: ${tfjs[0]} -> ${tfjs[tfjs.length - 1]}`);
  });
}

const SCHEDULES = [
  '    stepDecay: {factor: 0.5, epochs: 2}',
  '    exponentialDecay: {decayRate: 0.9, steps: 7}',
  '    exponentialDecay: {decayRate: 0.9, steps: 7, staircase: true}',
  '    cosineDecay: {alpha: 0.1}',
  '    warmup: {epochs: 1, mode: gradual}\n    cosineDecay: {alpha: 0.01, epochs: 5}',
  '    warmup: {steps: 9, mode: constant, factor: 0.2}\n    stepDecay: {factor: 0.5, steps: 20}',
  '    cosineDecayRestarts: {steps: 10, tMul: 1.5, mMul: 0.8, alpha: 0.05}',
  '    cyclic: {mode: triangular, maxLearningRate: 0.5, steps: 6}',
  '    cyclic: {mode: triangular2, maxLearningRate: 0.5, steps: 5}',
  '    cyclic: {mode: exp_range, maxLearningRate: 0.5, steps: 5, gamma: 0.99}',
  '    oneCycle: {pctStart: 0.3}',
  '    oneCycle: {pctStart: 0.25, divFactor: 10, finalDivFactor: 100, epochs: 6}',
];

test('every schedule kind plans the same rate at every step in both engines', () => {
  requireTorch();
  const dir = mkdtempSync(join(tmpdir(), 'torch-rates-'));
  try {
    for (const schedule of SCHEDULES) {
      const spec = parse(dense(`  optimizer: sgd\n  learningRate: 0.1\n  schedule:\n${schedule}\n`));
      assert.ok(spec.train.schedule, schedule);
      const stepsPerEpoch = 13;
      const run = { baseLearningRate: spec.train.learningRate, stepsPerEpoch, totalSteps: stepsPerEpoch * spec.train.epochs };
      const want = Array.from(plannedCurve(spec.train.schedule, run));
      writeFileSync(join(dir, 'spec.json'), plain(spec));
      writeFileSync(join(dir, 'rates.json'), JSON.stringify({ stepsPerEpoch, steps: run.totalSteps }));
      const got = (runPython(['--rates', dir]) as { rates: number[] }).rates;
      assert.equal(got.length, want.length);
      want.forEach((w, i) => assert.ok(Math.abs((got[i] as number) - w) <= 1e-12 * Math.max(1, Math.abs(w)), `${schedule.trim()} step ${i}: tfjs ${w}, torch ${got[i]}`));
      assert.ok(new Set(want.map((w) => w.toFixed(9))).size > 2, `${schedule.trim()} changes the rate`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const EVERY_LAYER = `name: everyLayer
data: {dataset: digits, samples: 100}
model:
  input: [8, 8, 1]
  layers:
    - zeroPadding2d: {padding: [1, 2]}
    - conv2d: {filters: 4, kernelSize: [3, 2], strides: 2, padding: same, dilationRate: 1}
    - conv2d: {id: dil, filters: 3, kernelSize: 2, dilationRate: 2, padding: same}
    - depthwiseConv2d: {kernelSize: 3, depthMultiplier: 2, padding: valid}
    - separableConv2d: {filters: 5, kernelSize: 1, useBias: false}
    - conv2dTranspose: {id: up, filters: 3, kernelSize: 3, strides: 3}
    - conv2dTranspose: {id: up2, filters: 2, kernelSize: 2, strides: 3, inputs: [up]}
    - upSampling2d: {size: [2, 1], inputs: [dil]}
    - maxPooling2d: {poolSize: 3, strides: 2, padding: same}
    - averagePooling2d: {poolSize: 2, strides: 1, padding: same}
    - batchNormalization: {}
    - layerNormalization: {}
    - groupNormalization: {groups: 3}
    - instanceNormalization: {}
    - activation: {activation: selu}
    - reLU: {maxValue: 1}
    - leakyReLU: {}
    - elu: {}
    - softmax: {}
    - dropout: {rate: 0.3}
    - globalMaxPooling2d: {id: gmax, inputs: [up2]}
    - globalAveragePooling2d: {id: gavg, inputs: [up2]}
    - multiply: {id: prod, inputs: [gmax, gavg]}
    - flatten: {id: flat, inputs: [dropout_20]}
    - reshape: {targetShape: [-1, 3], inputs: [dropout_20]}
    - conv1d: {filters: 4, kernelSize: 3, padding: same, strides: 2}
    - maxPooling1d: {poolSize: 2, padding: same}
    - averagePooling1d: {poolSize: 2}
    - globalMaxPooling1d: {id: g1max}
    - globalAveragePooling1d: {id: g1avg, inputs: [averagePooling1d_28]}
    - add: {id: sum, inputs: [g1max, g1avg]}
    - concatenate: {inputs: [sum, prod, flat]}
    - maxout: {units: 4, pieces: 3}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: adam, learningRate: 0.01, epochs: 1, batchSize: 16}
`;

test('every catalogue layer kind: PyTorch output shapes and parameter counts equal the model analysis', () => {
  requireTorch();
  const r = parseModel(EVERY_LAYER);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(r.spec && r.summary);
  const kinds = new Set(r.spec.model.layers.map((l) => l.kind));
  assert.deepEqual(LAYER_NAMES.filter((k) => !kinds.has(k)), [], 'catalogue kinds missing from the model');
  const dir = mkdtempSync(join(tmpdir(), 'torch-shapes-'));
  try {
    writeFileSync(join(dir, 'spec.json'), plain(r.spec));
    const got = runPython(['--shapes', dir]) as { shapes: Record<string, number[]>; params: Record<string, number> };
    for (const layer of r.summary.layers) {
      assert.deepEqual(got.shapes[layer.id], layer.outputShape, `${layer.id} output shape`);
      assert.equal(got.params[layer.id] ?? 0, layer.params, `${layer.id} parameters`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every catalogue layer kind: PyTorch inference outputs equal tfjs\'s layer by layer from the same weights', () => {
  requireTorch();
  const spec = parse(EVERY_LAYER);
  const dir = mkdtempSync(join(tmpdir(), 'torch-outputs-'));
  const model = buildNetwork(spec.model, spec.train.seed);
  try {
    const ds = loadDataset({ ...spec.data, samples: 8 }, datasetsDir);
    const set = encode(ds, spec.model.input, 10);
    writeWeights(dir, model, spec);
    writeData(dir, set, ds.task, ds.classes);
    writeFileSync(join(dir, 'spec.json'), plain(spec));
    const got = runPython(['--outputs', dir]) as Record<string, number[]>;
    const layers = spec.model.layers;
    const probe = tfl.model({ inputs: model.inputs, outputs: layers.map((l) => model.getLayer(sanitize(l.id)).output as tfl.SymbolicTensor) });
    const want = tf.tidy(() => (probe.predict(tf.tensor(set.x, [set.n, ...set.xShape])) as tf.Tensor[]).map((t) => Array.from(t.dataSync())));
    layers.forEach((layer, i) => {
      const w = want[i] as number[];
      const g = got[layer.id] as number[];
      assert.equal(g.length, w.length, `${layer.id}: values`);
      const scale = Math.max(1, ...w.map(Math.abs));
      const gap = Math.max(...w.map((v, j) => Math.abs(v - (g[j] as number))));
      assert.ok(gap <= 1e-5 * scale, `${layer.kind} ${layer.id}: largest gap ${gap} (values up to ${scale})`);
    });
  } finally {
    model.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
