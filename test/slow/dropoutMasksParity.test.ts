// Same file, same seed, same dropout masks on both engines: the tfjs engine's FreshMaskDropout and the
// runner's Dropout draw each training call's keep-multipliers from mulberry32 of the same per-call
// seed, in Keras's element order, with tfjs's float32 arithmetic. With the initial weights and batch
// order already shared, a dropout model's losses then agree to float rounding, epoch after epoch;
// with each engine drawing its own masks they part at the first batch (two different experiments).
// The conv case puts dropout after a convolution, where the runner's channels-first activations
// must take the mask generated in channels-last order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo } from '../unit/helpers';
import { cliRun, requireTorch } from './torchParityHelpers';

const OVERFIT_DROPOUT = readFileSync(join(repo, 'examples', 'inside', 'overfit-dropout.model.yaml'), 'utf8').replace('epochs: 150', 'epochs: 4');
const CONV_DROPOUT = `name: conv-dropout
data:
  dataset: digits
  validationSplit: 0.2
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 6, kernelSize: 3, padding: same, activation: relu}
    - dropout: {rate: 0.3}
    - conv2d: {filters: 4, kernelSize: 3, activation: relu}
    - flatten
    - dropout: {rate: 0.5}
    - dense: {units: 10, activation: softmax}
train:
  loss: categoricalCrossentropy
  optimizer: adam
  learningRate: 0.01
  batchSize: 32
  epochs: 2
  metrics: [accuracy]
  seed: 5
`;

/** The run's epoch losses and its first batches' losses, from `model-lab train FILE --engine E`. */
function losses(file: string, engine: 'tfjs' | 'pytorch', runsDir: string): { epochs: number[]; batches: number[] } {
  const run = cliRun(file, engine, runsDir);
  assert.ok(run.epochs.length >= 2, `${engine}: the record has its epochs`);
  return { epochs: run.epochs.map((e) => e.loss), batches: run.batches.slice(0, 10).map((b) => b.loss) };
}

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(a);

test('model-lab train with dropout: the same epoch losses on tfjs and PyTorch (dense and after a conv)', { timeout: 10 * 60_000 }, (t) => {
  requireTorch();
  const dir = mkdtempSync(join(tmpdir(), 'ml-dropout-cli-'));
  try {
    for (const [name, text] of [['overfit-dropout', OVERFIT_DROPOUT], ['conv-dropout', CONV_DROPOUT]] as const) {
      const file = join(dir, `${name}.model.yaml`);
      writeFileSync(file, text);
      const tfjs = losses(file, 'tfjs', join(dir, 'tfjs'));
      const torch = losses(file, 'pytorch', join(dir, 'torch'));
      t.diagnostic(`${name}: epoch losses tfjs ${tfjs.epochs.join(', ')} / PyTorch ${torch.epochs.join(', ')}`);
      assert.equal(torch.epochs.length, tfjs.epochs.length);
      tfjs.batches.forEach((l, i) => assert.ok(relative(l, torch.batches[i] as number) <= 1e-5, `${name}: batch ${i + 1} loss tfjs ${l}, PyTorch ${torch.batches[i]}`));
      tfjs.epochs.forEach((l, i) => assert.ok(relative(l, torch.epochs[i] as number) <= 1e-5, `${name}: epoch ${i + 1} loss tfjs ${l}, PyTorch ${torch.epochs[i]}`));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
