// The examples of the data sets, each trained as a user would (CONCEPTS rows 2 and 3, a CSV
// regression, the MNIST subset CNN), on the wasm backend.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { EpochPoint, RunInfo } from '../../protocol/run';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, example, repo, wasmDir } from '../unit/helpers';

async function run(name: string, edit: (text: string) => string = (t) => t, onEpoch: () => void = () => {}): Promise<{ epochs: EpochPoint[]; info: RunInfo; ms: number }> {
  const modelFile = join(repo, 'examples', name);
  const parsed = await parseModelWithDataFiles(edit(example(name)), { modelFile });
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  assert.deepEqual(parsed.diagnostics.filter((d) => d.severity !== 'info'), [], `${name} parses without warnings`);
  const epochs: EpochPoint[] = [];
  let info: RunInfo | undefined;
  const t0 = Date.now();
  const summary = await train(parsed.spec, {
    runId: name, modelFile, datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, hooks: standardHooks(parsed.spec),
    sink: { started: (i) => { info = i; }, batch: () => {}, epoch: (e) => { epochs.push(e); onEpoch(); }, log: () => {} },
  });
  assert.equal(summary.status, 'completed', summary.error);
  assert.ok(info);
  return { epochs, info, ms: Date.now() - t0 };
}

const last = (e: EpochPoint[]): EpochPoint => e[e.length - 1] as EpochPoint;

test('a perceptron (one sigmoid unit) learns a linearly separable set, and the same unit cannot learn XOR', async () => {
  const lin = await run('perceptron.model.yaml');
  assert.ok((last(lin.epochs).valAccuracy ?? 0) >= 0.97, `linear: val accuracy ${last(lin.epochs).valAccuracy}`);
  const xor = await run('perceptron-xor.model.yaml');
  const best = Math.max(...xor.epochs.map((e) => e.valAccuracy ?? 1));
  assert.ok(best < 0.8, `xor: the best val accuracy of any epoch is ${best}`);
  assert.ok(last(xor.epochs).loss > 0.6, `xor: the loss stays near ln 2: ${last(xor.epochs).loss}`);
});

test('one hidden sigmoid layer fits sin(x): validation error near the noise floor', async () => {
  const text = example('sine.model.yaml');
  assert.equal((text.match(/- dense/g) ?? []).length, 2, 'one hidden layer and the output');
  const { epochs } = await run('sine.model.yaml');
  const first = epochs[0] as EpochPoint;
  const end = last(epochs);
  assert.equal(end.valAccuracy, undefined, 'regression reports no accuracy');
  // Noise 0.05 on y: the best possible mean squared error is 0.0025; sin itself has variance 0.5.
  assert.ok((end.valLoss ?? 1) < 0.01, `val MSE ${end.valLoss}`);
  assert.ok(end.loss < first.loss / 20, `loss fell: ${first.loss} -> ${end.loss}`);
});

test('a CSV regression (diabetes progression) explains much of the variance', async () => {
  const { epochs, info } = await run('diabetes-csv.model.yaml');
  assert.equal(info.trainSamples + info.valSamples, 442);
  assert.equal(info.dataset, 'csv: data/diabetes.csv');
  // The target's variance is about 5,930 (sd 77): predicting the mean would give that MSE.
  const mse = last(epochs).valLoss ?? Infinity;
  assert.ok(mse < 0.6 * 5930, `val MSE ${mse}`);
});

test('the MNIST subset CNN reaches 95% validation accuracy on wasm, with no kernel fallback and no tensor leak', async () => {
  await import('../../engine/train/backend').then((b) => b.useBackend('wasm', wasmDir));
  const before = tf.memory().numTensors;
  const { epochs, info, ms } = await run('mnist-cnn.model.yaml');
  assert.equal(info.backend, 'wasm');
  assert.equal(info.backendNote, undefined, 'no missing kernel sent it to cpu');
  assert.equal(info.trainSamples, 4000);
  assert.equal(info.valSamples, 1000);
  assert.ok((last(epochs).valAccuracy ?? 0) >= 0.95, `val accuracy ${last(epochs).valAccuracy}`);
  assert.equal(tf.memory().numTensors, before);
  console.log(`mnist-cnn: ${epochs.length} epochs in ${(ms / 1000).toFixed(1)} s, val accuracy ${last(epochs).valAccuracy}`);
});

test('augmented MNIST reports TTA accuracy beside the plain one each epoch, with a flat tensor count', async () => {
  const counts: number[] = [];
  const shorter = (t: string) => t.replace('epochs: 8', 'epochs: 3').replace('validationSplit: 0.2', 'validationSplit: 0.2\n  samples: 600');
  const { epochs } = await run('mnist-augment.model.yaml', shorter, () => counts.push(tf.memory().numTensors));
  assert.equal(epochs.length, 3);
  assert.deepEqual(counts, [counts[0], counts[0], counts[0]], 'augmentation and TTA leave no tensor behind between epochs');
  for (const e of epochs) {
    assert.ok(e.valAccuracy !== undefined && e.valAccuracyTTA !== undefined, JSON.stringify(e));
    assert.ok(e.valAccuracyTTA >= 0 && e.valAccuracyTTA <= 1);
  }
  assert.ok(last(epochs).valAccuracyTTA! > 0.3, `it learns under augmentation: ${last(epochs).valAccuracyTTA}`);
});
