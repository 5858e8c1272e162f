// The PyTorch engine computes what the tfjs engine computes. For a dense, a conv and a graph model
// the tfjs model (buildNetwork, with the spec's seed) writes its initial weights in the weights-file
// format of docs/engines.md and trains 50 steps with the loop's pieces (trainStep, the shuffled
// order of loop.ts); then engines/pytorch loads those weights, takes the same batches and must
// report the same loss at every step: within 1e-4 (relative) with SGD, 1e-3 with Adam. A second test
// builds one model of every catalogue layer kind in Python and compares each layer's output shape
// and parameter count with the model analysis's. No torch: the tests fail and say what to install.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { parseModel } from '../../model/language/parse';
import type { ModelSpec, OptimizerSpec } from '../../model/language/model';
import { buildNetwork, sanitize } from '../../engine/train/buildModel';
import { makeOptimizer } from '../../engine/train/optimizer';
import { lossFn } from '../../engine/train/losses';
import { trainStep } from '../../engine/train/trainStep';
import { BatchAssembler, encode, type EncodedSet } from '../../engine/train/tensors';
import { loadDataset } from '../../engine/data/load';
import { useBackend } from '../../engine/train/backend';
import { deriveSeed, makeRng, shuffleInPlace } from '../../common/random';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';

const PYTHON = process.env.MODEL_LAB_PYTHON ?? 'python3';
const STEPS = 50;

before(async () => {
  await useBackend('wasm', wasmDir);
});

function requireTorch(): void {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.status !== 0) {
    assert.fail(`The PyTorch engine's tests need Python with torch: '${PYTHON} -c "import torch"' failed (${(r.stderr || String(r.error)).trim().split('\n').pop()}). `
      + 'Install it (Debian/Ubuntu: sudo apt-get install python3-torch libopenblas0-pthread) or point MODEL_LAB_PYTHON at a Python that has it.');
  }
}

function runPython(args: string[]): unknown {
  const r = spawnSync(PYTHON, [join(repo, 'test/slow/torchParitySteps.py'), ...args], {
    encoding: 'utf8', timeout: 240_000, env: { ...process.env, PYTHONPATH: join(repo, 'engines/pytorch') },
  });
  assert.equal(r.status, 0, `python failed: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout);
}

function parse(text: string): ModelSpec {
  const r = parseModel(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(r.spec);
  return r.spec;
}

/** The spec as the host hands it to the runner: plain JSON, without the source tree. */
function plain(spec: ModelSpec): string {
  const { source: _source, ...rest } = spec;
  return JSON.stringify(rest);
}

/** Keras's weight name from tfjs's ('conv2d_1/moving_variance' -> 'movingVariance'). */
const kerasName = (originalName: string): string =>
  (originalName.split('/').pop() as string).replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

function writeWeights(dir: string, model: tfl.LayersModel, spec: ModelSpec): void {
  const entries: object[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  for (const layer of spec.model.layers) {
    for (const w of model.getLayer(sanitize(layer.id)).weights) {
      const values = w.read().dataSync() as Float32Array;
      entries.push({ layer: layer.id, name: kerasName(w.originalName), shape: w.shape, offset, length: values.length });
      chunks.push(Float32Array.from(values));
      offset += values.length;
    }
  }
  writeFileSync(join(dir, 'weights.json'), JSON.stringify({ weights: entries }));
  writeFileSync(join(dir, 'weights.bin'), concat(chunks));
}

function concat(parts: Float32Array[]): Buffer {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return Buffer.from(all.buffer);
}

function writeData(dir: string, set: EncodedSet, task: string, classes: number): void {
  const train = { n: set.n, xShape: set.xShape, yShape: [set.yWidth], x: [0, set.x.length], y: [set.x.length, set.y.length] };
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ task, classes, train, val: { n: 0, xShape: set.xShape, yShape: [set.yWidth], x: [0, 0], y: [0, 0] } }));
  writeFileSync(join(dir, 'data.bin'), concat([set.x, set.y]));
}

/** The first `steps` batches in loop.ts's order: one order array, reshuffled in place every epoch. */
function batchOrder(n: number, batchSize: number, seed: number, steps: number): Int32Array[] {
  const rng = makeRng(deriveSeed(seed, 7));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const out: Int32Array[] = [];
  while (out.length < steps) {
    shuffleInPlace(order, rng);
    for (let b = 0; b * batchSize < n && out.length < steps; b++) out.push(order.slice(b * batchSize, Math.min((b + 1) * batchSize, n)));
  }
  return out;
}

/** Per-step losses of tfjs and of PyTorch on the same start and batches. */
function bothEngines(spec: ModelSpec): { tfjs: number[]; torch: number[] } {
  const dir = mkdtempSync(join(tmpdir(), 'torch-parity-'));
  const before = tf.memory().numTensors;
  try {
    const ds = loadDataset(spec.data, datasetsDir);
    const last = spec.model.layers[spec.model.layers.length - 1];
    const set = encode(ds, spec.model.input, Number(last?.config.units ?? ds.classes));
    const model = buildNetwork(spec.model, spec.train.seed);
    writeWeights(dir, model, spec);
    writeData(dir, set, ds.task, ds.classes);
    const steps = batchOrder(set.n, spec.train.batchSize, spec.train.seed, STEPS);
    writeFileSync(join(dir, 'batches.json'), JSON.stringify({ steps: steps.map((s) => Array.from(s)) }));
    writeFileSync(join(dir, 'spec.json'), plain(spec));
    const optimizer = makeOptimizer(spec.train, 'wasm');
    const batches = new BatchAssembler(set);
    const loss = lossFn(spec.train.loss);
    const tfjs = steps.map((idx) => trainStep(model, optimizer, loss, batches, idx, false)[0]);
    optimizer.dispose();
    model.dispose();
    assert.ok(tf.memory().numTensors <= before, `no tensors left: ${before} -> ${tf.memory().numTensors}`);
    const torch = (runPython([dir]) as { losses: number[] }).losses;
    return { tfjs, torch };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODELS: Record<string, string> = {
  dense: `name: dense
data: {dataset: moons, samples: 200, noise: 0.2}
model:
  input: [2]
  regularizer: {l2: 0.001}
  layers:
    - dense: {units: 16, activation: relu}
    - dense: {units: 16, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train: {loss: binaryCrossentropy, optimizer: sgd, learningRate: 0.1, epochs: 10, batchSize: 16, seed: 3}
`,
  conv: `name: conv
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 6, kernelSize: 3, padding: same, activation: relu}
    - maxPooling2d: {poolSize: 2}
    - conv2d: {filters: 8, kernelSize: 3, strides: 2, padding: same}
    - batchNormalization: {}
    - activation: {activation: relu}
    - flatten: {}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.05, epochs: 10, batchSize: 32, seed: 5}
`,
  graph: `name: graph
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - flatten: {id: flat}
    - dense: {id: a, units: 24, activation: relu, inputs: [flat]}
    - dense: {id: b, units: 24, activation: tanh, inputs: [flat]}
    - add: {id: sum, inputs: [a, b]}
    - multiply: {id: gate, inputs: [sum, b]}
    - concatenate: {id: both, inputs: [gate, flat]}
    - dense: {units: 10, activation: softmax, inputs: [both]}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.05, epochs: 10, batchSize: 32, seed: 7}
`,
  // Every other layer kind with weights or a layout of its own. Not here: dropout (its masks come
  // from another generator) and average pooling with padding 'same', whose gradient in tfjs 4.22
  // divides by the whole window, padding included, while its forward pass divides by the values
  // inside: the PyTorch engine takes the true gradient (engines/pytorch/tests/test_layers.py checks
  // it against finite differences). A learning rate of 0.03 keeps these deep nets (normalisations
  // over 16 positions) from amplifying float32 rounding into different trajectories.
  imageZoo: `name: imageZoo
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - zeroPadding2d: {padding: 1}
    - conv2d: {filters: 4, kernelSize: 3, strides: 2, padding: same, activation: elu}
    - depthwiseConv2d: {kernelSize: 3, depthMultiplier: 2, padding: same, activation: relu6}
    - separableConv2d: {filters: 6, kernelSize: 2, activation: swish}
    - layerNormalization: {}
    - upSampling2d: {size: 2, interpolation: bilinear}
    - averagePooling2d: {poolSize: 2}
    - groupNormalization: {groups: 3}
    - conv2dTranspose: {filters: 4, kernelSize: 3, strides: 2, padding: same, activation: softplus}
    - instanceNormalization: {}
    - maxPooling2d: {poolSize: 3, strides: 2, padding: same}
    - leakyReLU: {alpha: 0.1}
    - reshape: {targetShape: [16, 4]}
    - conv1d: {filters: 5, kernelSize: 3, padding: same, activation: tanh}
    - maxPooling1d: {poolSize: 2}
    - averagePooling1d: {poolSize: 2}
    - flatten: {}
    - maxout: {units: 8, pieces: 3}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.03, epochs: 10, batchSize: 32, seed: 11}
`,
  graphZoo: `name: graphZoo
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {id: c, filters: 4, kernelSize: 2, strides: 2, activation: selu}
    - conv2d: {id: c2, filters: 2, kernelSize: 1, activation: sigmoid, inputs: [c]}
    - concatenate: {id: channels, inputs: [c, c2]}
    - concatenate: {id: rows, axis: 1, inputs: [c, c]}
    - conv2dTranspose: {id: t, filters: 3, kernelSize: 3, strides: 2, activation: hardSigmoid, inputs: [c]}
    - globalMaxPooling2d: {id: gm, inputs: [t]}
    - globalAveragePooling2d: {id: ga, inputs: [channels]}
    - dense: {id: dd, units: 3, activation: softsign, inputs: [rows]}
    - reLU: {id: r, maxValue: 0.5, inputs: [dd]}
    - elu: {id: e, inputs: [r]}
    - batchNormalization: {id: bn, momentum: 0.9, inputs: [e]}
    - flatten: {id: fl, inputs: [bn]}
    - concatenate: {id: all, inputs: [gm, ga, fl]}
    - dense: {id: logits, units: 10, inputs: [all]}
    - softmax: {inputs: [logits]}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.03, epochs: 10, batchSize: 32, seed: 13}
`,
};

const OPTIMIZERS: [string, OptimizerSpec, number, number][] = [
  ['SGD', { name: 'sgd', options: {} }, 0, 1e-4],
  ['Adam', { name: 'adam', options: {} }, 0.005, 1e-3],
];

for (const [name, text] of Object.entries(MODELS)) {
  for (const [label, optimizer, learningRate, tolerance] of OPTIMIZERS) {
    test(`${name} model with ${label}: PyTorch's per-step losses equal tfjs's for ${STEPS} steps`, (t) => {
      requireTorch();
      const parsed = parse(text);
      const spec: ModelSpec = { ...parsed, train: { ...parsed.train, optimizer, learningRate: learningRate || parsed.train.learningRate } };
      const { tfjs, torch } = bothEngines(spec);
      assert.equal(torch.length, STEPS);
      const rel = tfjs.map((t, i) => Math.abs((torch[i] as number) - t) / Math.max(Math.abs(t), 1e-8));
      const worst = rel.reduce((a, b) => Math.max(a, b), 0);
      const at = rel.indexOf(worst);
      if (process.env.PARITY_DEBUG) t.diagnostic(rel.map((r) => r.toExponential(1)).join(" "));
      t.diagnostic(`${name} ${label}: worst relative ${worst.toExponential(2)} at step ${at}; loss ${tfjs[0]} -> ${tfjs[STEPS - 1]}`);
      assert.ok(worst <= tolerance, `step ${at}: tfjs ${tfjs[at]}, torch ${torch[at]} (relative ${worst.toExponential(2)} > ${tolerance})`);
      // The runs learned something, so agreeing is not agreeing on nothing.
      assert.ok((tfjs[STEPS - 1] as number) < (tfjs[0] as number), `loss fell: ${tfjs[0]} -> ${tfjs[STEPS - 1]}`);
    });
  }
}
