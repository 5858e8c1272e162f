// A PyTorch run starts from the weights a tfjs run of the same file and seed starts from: the host
// draws them with the tfjs engine's code (engine/train/initialWeights.ts) on the data thread
// (worker/engineData.ts). Here, bit for bit against buildModel(spec) on the wasm backend with the
// training kernels registered (what a tfjs run builds), for every layer kind with weights.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { parseModel } from '../../model/language/parse';
import type { ModelSpec } from '../../model/language/model';
import { buildModel, sanitize } from '../../engine/train/buildModel';
import { useBackend } from '../../engine/train/backend';
import { writeInitialWeights } from '../../engine/train/initialWeights';
import { kerasWeightName, weightsBinPath, type WeightsEntry } from '../../engine/train/weightsFiles';
import { writeEngineDataOffThread } from '../../host/engines/engineDataThread';
import { datasetsDir, repo, wasmDir } from './helpers';

const TRAIN = `train:
  loss: categoricalCrossentropy
  optimizer: adam
  learningRate: 0.01
  batchSize: 32
  epochs: 1
`;

/** Convolutions of every kind, every normalisation, orthogonal and the other initializers, a graph. */
const CONV = `name: conv-kinds
data:
  dataset: digits
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {id: stem, filters: 6, kernelSize: 3, padding: same, kernelInitializer: orthogonal, biasInitializer: {randomNormal: {stddev: 0.1}}}
    - batchNormalization: {momentum: 0.9}
    - depthwiseConv2d: {id: dw, kernelSize: 3, padding: same, depthMultiplier: 2}
    - separableConv2d: {id: sep, inputs: [stem], filters: 12, kernelSize: 3, padding: same, depthwiseInitializer: heNormal, pointwiseInitializer: lecunUniform}
    - add: {id: sum, inputs: [dw, sep]}
    - groupNormalization: {groups: 3}
    - conv2dTranspose: {filters: 4, kernelSize: 3, padding: same, kernelInitializer: {truncatedNormal: {stddev: 0.2}}}
    - instanceNormalization
    - conv2d: {id: wide, filters: 8, kernelSize: 1, kernelInitializer: heUniform}
    - layerNormalization: {id: ln}
    - concatenate: {inputs: [ln, sum]}
    - globalAveragePooling2d
    - dense: {units: 10, activation: softmax, kernelInitializer: glorotNormal}
${TRAIN}  seed: 11
`;

/** Sequences (conv1d), maxout, dense layers with orthogonal, random uniform, constant, lecun normal. */
const DENSE = `name: dense-kinds
data:
  dataset: digits
model:
  input: [64]
  layers:
    - reshape: {targetShape: [16, 4]}
    - conv1d: {filters: 5, kernelSize: 3, padding: same}
    - flatten
    - maxout: {units: 8, pieces: 3}
    - dense: {units: 40, activation: tanh, kernelInitializer: {orthogonal: {gain: 1.5}}, biasInitializer: {constant: {value: 0.1}}}
    - dense: {units: 24, kernelInitializer: {randomUniform: {minval: -0.3, maxval: 0.3}}}
    - dense: {units: 16, kernelInitializer: lecunNormal}
    - dense: {units: 10, activation: softmax}
${TRAIN}  seed: 4
`;

before(() => useBackend('wasm', wasmDir));

function spec(text: string, options = {}): ModelSpec {
  const r = parseModel(text, { checkData: false, ...options });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.spec as ModelSpec;
}

/** What a tfjs run starts from: buildModel(spec) on the wasm backend, each weight by layer id and Keras name. */
function tfjsStart(s: ModelSpec): Map<string, Float32Array> {
  assert.equal(tf.getBackend(), 'wasm');
  const model = buildModel(s);
  const out = new Map<string, Float32Array>();
  for (const layer of s.model.layers) {
    for (const w of model.getLayer(sanitize(layer.id)).weights) out.set(`${layer.id}.${kerasWeightName(w.originalName)}`, Float32Array.from(w.read().dataSync() as Float32Array));
  }
  model.dispose();
  return out;
}

function readFiles(jsonPath: string): Map<string, Float32Array> {
  const listing = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weights: WeightsEntry[] };
  const raw = readFileSync(weightsBinPath(jsonPath));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  assert.equal(all.length, listing.weights.reduce((n, w) => n + w.length, 0), 'the .bin holds exactly the listed weights');
  return new Map(listing.weights.map((w) => {
    assert.equal(w.length, w.shape.reduce((a, b) => a * b, 1), `${w.layer}.${w.name}: length and shape agree`);
    return [`${w.layer}.${w.name}`, all.slice(w.offset, w.offset + w.length)];
  }));
}

function assertSameBits(what: string, want: Map<string, Float32Array>, got: Map<string, Float32Array>): void {
  assert.deepEqual([...got.keys()], [...want.keys()], `${what}: the same weights in the same order`);
  for (const [name, values] of want) {
    const g = got.get(name) as Float32Array;
    assert.ok(Buffer.from(values.buffer).equals(Buffer.from(g.buffer)), `${what}: ${name} differs (first values ${values.slice(0, 3).join()} vs ${g.slice(0, 3).join()})`);
  }
}

test('the initial weights written are, bit for bit, those a tfjs run on wasm starts from, for every layer kind with weights', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-init-'));
  try {
    for (const text of [CONV, DENSE]) {
      const s = spec(text);
      const want = tfjsStart(s);
      const kinds = new Set(s.model.layers.filter((l) => want.has(`${l.id}.${[...want.keys()].find((k) => k.startsWith(`${l.id}.`))?.split('.')[1]}`)).map((l) => l.kind));
      const tensors = tf.memory().numTensors;
      const file = join(dir, `${s.name}.json`);
      await writeInitialWeights(s, file, wasmDir);
      assert.equal(tf.getBackend(), 'wasm', 'the process is still on its backend');
      assert.equal(tf.memory().numTensors, tensors, 'no tensor left behind');
      assertSameBits(`${s.name} (${[...kinds].join(', ')})`, want, readFiles(file));
    }
    const other = tfjsStart(spec(DENSE.replace('seed: 4', 'seed: 5')));
    const first = readFiles(join(dir, 'dense-kinds.json'));
    assert.ok([...other].some(([k, v]) => !Buffer.from(v.buffer).equals(Buffer.from((first.get(k) as Float32Array).buffer))), 'another seed, other weights');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the data thread writes the initial weights beside data.json, with the run\'s seed when the file has none', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-init-thread-'));
  const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'engineData.ts'))});`;
  try {
    const source = CONV.replace('  seed: 11\n', '');
    const host = spec(source); // no seed in the file: the parse draws one, and the run trains with it
    const files = await writeEngineDataOffThread({ source, modelFile: '', datasetsDir, dataDir: dir, wasmDir, seed: host.train.seed }, () => new Worker(boot, { eval: true }));
    assert.equal(files.dataFile, join(dir, 'data.json'));
    assert.equal(files.weightsFile, join(dir, 'initial-weights.json'));
    assertSameBits('the thread\'s draw', tfjsStart(host), readFiles(files.weightsFile));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
