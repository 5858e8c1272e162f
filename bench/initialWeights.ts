// `npm run bench:init`: what drawing a PyTorch run's initial weights costs the host (the tfjs engine's
// buildModel on its wasm backend, written as initial-weights.json/.bin: engine/train/initialWeights.ts).
// Each model in a fresh process: the time to start the backend, to build and write, the process's peak
// memory, and the reference measured in the same process: writing the model's data files (for the
// models with data), which the same thread does before.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { parseModel } from '../model/language/parse';
import { useBackend } from '../engine/train/backend';
import { writeInitialWeights } from '../engine/train/initialWeights';
import { writeEngineData } from '../host/engines/engineData';
import { weightsBinPath } from '../engine/train/weightsFiles';
import { datasetsDir, wasmDir } from '../test/unit/helpers';

const TRAIN = 'train:\n  loss: categoricalCrossentropy\n  optimizer: adam\n  batchSize: 64\n  epochs: 1\n  seed: 1\n';
const MODELS: Record<string, string> = {
  'MNIST MLP 784-128-10': `name: mlp\ndata:\n  dataset: mnist\nmodel:\n  input: [784]\n  layers:\n    - dense: {units: 128, activation: relu}\n    - dense: {units: 10, activation: softmax}\n${TRAIN}`,
  'dense 784-2048-4096-10': `name: big-dense\ndata:\n  dataset: mnist\nmodel:\n  input: [784]\n  layers:\n    - dense: {units: 2048, activation: relu}\n    - dense: {units: 4096, activation: relu}\n    - dense: {units: 10, activation: softmax}\n${TRAIN}`,
  'conv 28x28 64-128-256, dense 768-10': `name: big-conv\ndata:\n  dataset: mnist\nmodel:\n  input: [28, 28, 1]\n  layers:\n    - conv2d: {filters: 64, kernelSize: 3, padding: same, activation: relu}\n    - maxPooling2d: {poolSize: 2}\n    - conv2d: {filters: 128, kernelSize: 3, padding: same, activation: relu}\n    - maxPooling2d: {poolSize: 2}\n    - conv2d: {filters: 256, kernelSize: 3, padding: same, activation: relu}\n    - flatten\n    - dense: {units: 768, activation: relu}\n    - dense: {units: 10, activation: softmax}\n${TRAIN}`,
  'dense 784-1024-1024-10, orthogonal': `name: ortho\ndata:\n  dataset: mnist\nmodel:\n  input: [784]\n  layers:\n    - dense: {units: 1024, activation: relu, kernelInitializer: orthogonal}\n    - dense: {units: 1024, activation: relu, kernelInitializer: orthogonal}\n    - dense: {units: 10, activation: softmax}\n${TRAIN}`,
};

const mb = (kb: number): string => (kb / 1024).toFixed(0);

async function one(name: string): Promise<void> {
  const spec = parseModel(MODELS[name] as string, { checkData: false }).spec;
  if (!spec) throw new Error(`${name} does not parse`);
  const dir = mkdtempSync(join(tmpdir(), 'bench-init-'));
  try {
    let t = performance.now();
    writeEngineData(spec, { datasetsDir, modelFile: '' }, dir);
    const dataMs = performance.now() - t;
    const rssBefore = process.memoryUsage().rss / 1024;
    t = performance.now();
    await useBackend('wasm', wasmDir);
    const backendMs = performance.now() - t;
    t = performance.now();
    const entries = await writeInitialWeights(spec, join(dir, 'initial-weights.json'), wasmDir);
    const drawMs = performance.now() - t;
    const weights = entries.reduce((n, e) => n + e.length, 0);
    const bytes = statSync(weightsBinPath(join(dir, 'initial-weights.json'))).size;
    if (tf.memory().numTensors !== 0) throw new Error(`${tf.memory().numTensors} tensors left`);
    console.log(`| ${name} | ${(weights / 1e6).toFixed(2)}M, ${(bytes / 2 ** 20).toFixed(1)} MB | ${backendMs.toFixed(0)} | ${drawMs.toFixed(0)} | ${mb(rssBefore)} -> ${mb(process.resourceUsage().maxRSS)} | ${dataMs.toFixed(0)} |`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv.indexOf('--one');
  if (only >= 0) return one(process.argv[only + 1] as string);
  console.log(`${new Date().toISOString()}, one process per model (wasm backend, as the data thread draws)`);
  console.log('| model | weights, .bin | start wasm backend ms | build + write ms | RSS MB before -> peak | reference: write data files ms |');
  console.log('|---|---|---|---|---|---|');
  for (const name of Object.keys(MODELS)) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--one', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    process.stdout.write(r.status === 0 ? r.stdout : `| ${name} | failed (exit ${r.status}) |\n`);
  }
}

void main();
