// Same file, same seed, same initial weights on both engines: `model-lab train FILE --engine pytorch`
// starts from the weights the host drew with the tfjs engine's buildModel (engine/train/initialWeights.ts),
// so its first batch's loss (taken before any update: the initial weights on the first batch of the
// shared batch order) is the tfjs engine's to float rounding. With each engine drawing its own, the
// first losses differ by the draw (big-init-tanh, seed 1: 0.8016 on tfjs, 0.7540 from PyTorch's own draw).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from '../unit/helpers';
import { cliRun, requireTorch } from './torchParityHelpers';

/** Dense layers far too large for tanh: its final metric depends most on the draw (bench:parity). */
const TANH = readFileSync(join(repo, 'examples', 'inside', 'big-init-tanh.model.yaml'), 'utf8');
/** A graph (add) of convolutions with batch normalization, one epoch. */
const RESNET = readFileSync(join(repo, 'examples', 'digits-resnet.model.yaml'), 'utf8').replace('epochs: 12', 'epochs: 1');
/** Orthogonal kernels (drawn through a QR decomposition on the backend), separable conv, group norm, maxout. */
const MIXED = `name: mixed-init
data:
  dataset: digits
  validationSplit: 0.2
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 8, kernelSize: 3, padding: same, activation: relu, kernelInitializer: orthogonal}
    - separableConv2d: {filters: 8, kernelSize: 3, padding: same}
    - groupNormalization: {groups: 2}
    - flatten
    - maxout: {units: 16, pieces: 2}
    - dense: {units: 10, activation: softmax, kernelInitializer: {orthogonal: {gain: 1.2}}}
train:
  loss: categoricalCrossentropy
  optimizer: adam
  learningRate: 0.01
  batchSize: 32
  epochs: 1
  metrics: [accuracy]
  seed: 3
`;

function firstLosses(file: string, engine: 'tfjs' | 'pytorch', runsDir: string): { losses: number[]; runDir: string } {
  const run = cliRun(file, engine, runsDir);
  assert.ok(run.batches.length >= 3, `${engine}: the record has its batch points`);
  return { losses: run.batches.slice(0, 3).map((b) => b.loss), runDir: run.runDir };
}

test('model-lab train --engine pytorch starts from the tfjs engine\'s initial weights: the same first-batch loss (dense, conv graph, orthogonal)', { timeout: 10 * 60_000 }, (t) => {
  requireTorch();
  const dir = mkdtempSync(join(tmpdir(), 'ml-init-cli-'));
  try {
    const cases: [string, string][] = [['tanh-seed1', TANH], ['tanh-seed7', TANH.replace('seed: 1', 'seed: 7')], ['resnet', RESNET], ['mixed', MIXED]];
    for (const [name, text] of cases) {
      const file = join(dir, `${name}.model.yaml`);
      writeFileSync(file, text);
      const tfjs = firstLosses(file, 'tfjs', join(dir, 'tfjs'));
      const torch = firstLosses(file, 'pytorch', join(dir, 'torch'));
      const rel = Math.abs((torch.losses[0] as number) - (tfjs.losses[0] as number)) / Math.abs(tfjs.losses[0] as number);
      t.diagnostic(`${name}: first-batch loss tfjs ${tfjs.losses[0]}, PyTorch ${torch.losses[0]} (relative ${rel.toExponential(1)}); steps 2-3 ${tfjs.losses.slice(1).join(', ')} / ${torch.losses.slice(1).join(', ')}`);
      assert.ok(rel <= 1e-5, `${name}: first-batch loss tfjs ${tfjs.losses[0]}, PyTorch ${torch.losses[0]} (relative ${rel.toExponential(2)})`);
      assert.ok(existsSync(join(torch.runDir, 'initial-weights.json')) && existsSync(join(torch.runDir, 'initial-weights.bin')), 'the record keeps the weights the run started from');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
