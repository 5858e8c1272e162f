// What the initial-weights tests share (test/unit/initialWeights.test.ts, test/slow/initialWeightsThread.test.ts):
// models with every layer kind that has weights, what a tfjs run starts from, and a bit-for-bit comparison.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { parseModel } from '../../model/language/parse';
import type { ModelSpec } from '../../model/language/model';
import { buildModel, sanitize } from '../../engine/train/buildModel';
import { kerasWeightName, weightsBinPath, type WeightsEntry } from '../../engine/train/weightsFiles';

const TRAIN = `train:
  loss: categoricalCrossentropy
  optimizer: adam
  learningRate: 0.01
  batchSize: 32
  epochs: 1
`;

/** Convolutions of every kind, every normalisation, orthogonal and the other initializers, a graph. */
export const CONV = `name: conv-kinds
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
export const DENSE = `name: dense-kinds
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

export function spec(text: string, options = {}): ModelSpec {
  const r = parseModel(text, { checkData: false, ...options });
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  return r.spec as ModelSpec;
}

/** What a tfjs run starts from: buildModel(spec) on the wasm backend, each weight by layer id and Keras name. */
export function tfjsStart(s: ModelSpec): Map<string, Float32Array> {
  assert.equal(tf.getBackend(), 'wasm');
  const model = buildModel(s);
  const out = new Map<string, Float32Array>();
  for (const layer of s.model.layers) {
    for (const w of model.getLayer(sanitize(layer.id)).weights) out.set(`${layer.id}.${kerasWeightName(w.originalName)}`, Float32Array.from(w.read().dataSync() as Float32Array));
  }
  model.dispose();
  return out;
}

export function readFiles(jsonPath: string): Map<string, Float32Array> {
  const listing = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weights: WeightsEntry[] };
  const raw = readFileSync(weightsBinPath(jsonPath));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  assert.equal(all.length, listing.weights.reduce((n, w) => n + w.length, 0), 'the .bin holds exactly the listed weights');
  return new Map(listing.weights.map((w) => {
    assert.equal(w.length, w.shape.reduce((a, b) => a * b, 1), `${w.layer}.${w.name}: length and shape agree`);
    return [`${w.layer}.${w.name}`, all.slice(w.offset, w.offset + w.length)];
  }));
}

export function assertSameBits(what: string, want: Map<string, Float32Array>, got: Map<string, Float32Array>): void {
  assert.deepEqual([...got.keys()], [...want.keys()], `${what}: the same weights in the same order`);
  for (const [name, values] of want) {
    const g = got.get(name) as Float32Array;
    assert.ok(Buffer.from(values.buffer).equals(Buffer.from(g.buffer)), `${what}: ${name} differs (first values ${values.slice(0, 3).join()} vs ${g.slice(0, 3).join()})`);
  }
}
