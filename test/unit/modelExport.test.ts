import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadExportedModel, MODEL_DIR } from '../../engine/export/finalModel';
import { parseModel } from '../../model/language/parse';
import type { TrainingHook } from '../../engine/train/hooks';
import { useBackend } from '../../engine/train/backend';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, wasmDir, XOR } from './helpers';

const FIXED_INPUT = [[0, 0], [0, 1], [1, 0], [1, 1], [0.3, -0.7]];

/** Trains `text` into a fresh run folder; returns the folder and the trained model's predictions on FIXED_INPUT. */
async function trainAndPredict(text: string, exportModel?: boolean): Promise<{ runDir: string; predictions: number[]; logs: string[] }> {
  const parsed = parseModel(text);
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  const runDir = mkdtempSync(join(tmpdir(), 'modellab-export-'));
  let predictions: number[] = [];
  // Runs after the standard hooks' end(), on the same model the export hook saved, before it is disposed.
  const probe: TrainingHook = {
    end(ctx) {
      predictions = tf.tidy(() => Array.from((ctx.model.predict(tf.tensor2d(FIXED_INPUT)) as tf.Tensor).dataSync()));
    },
  };
  const logs: string[] = [];
  const summary = await train(parsed.spec, {
    runId: 'export', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled,
    hooks: [...standardHooks(parsed.spec, { runDir, exportModel }), probe],
    sink: { started: () => {}, batch: () => {}, epoch: () => {}, log: (_l, m) => logs.push(m) },
  });
  assert.equal(summary.status, 'completed');
  return { runDir, predictions, logs };
}

test('the trained model is saved into the run folder in tfjs format and loads back with the same predictions', async () => {
  await useBackend('wasm', wasmDir);
  const before = tf.memory().numTensors;
  const { runDir, predictions, logs } = await trainAndPredict(XOR.replace('epochs: 60', 'epochs: 5'));
  assert.equal(tf.memory().numTensors, before, 'saving leaks no tensor');
  const dir = join(runDir, MODEL_DIR);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
  assert.equal(json.format, 'layers-model');
  assert.equal((json.modelTopology as { class_name?: string }).class_name, 'Model');
  const manifest = json.weightsManifest[0];
  assert.ok(manifest);
  assert.equal(manifest.paths.length, 1);
  assert.ok(existsSync(join(dir, manifest.paths[0] as string)), 'the weights file the manifest names exists');
  // 2*8 + 8 + 8*1 + 1 parameters of float32.
  assert.equal(readFileSync(join(dir, manifest.paths[0] as string)).length, (2 * 8 + 8 + 8 + 1) * 4);
  assert.deepEqual((json.userDefinedMetadata as { modelLab: { epoch: number; step: number } }).modelLab.epoch, 5);
  assert.ok(logs.some((m) => m.includes('Saved the trained model')));

  const loaded = await loadExportedModel(dir);
  const again = tf.tidy(() => Array.from((loaded.predict(tf.tensor2d(FIXED_INPUT)) as tf.Tensor).dataSync()));
  loaded.dispose();
  assert.equal(again.length, FIXED_INPUT.length);
  assert.deepEqual(again, predictions);
  // Trained, not initial: XOR's corners are told apart.
  assert.ok(Math.abs((predictions[1] as number) - (predictions[0] as number)) > 0.05, `predictions ${predictions.join(', ')}`);
  assert.equal(tf.memory().numTensors, before);
});

test('a graph model with a skip connection and a custom layer round-trips too', async () => {
  const graph = XOR.replace('epochs: 60', 'epochs: 2').replace(
    /layers:\n(\s+- dense:.*\n)+/,
    'layers:\n    - dense: {id: a, units: 8, activation: tanh}\n    - maxout: {id: b, units: 8, pieces: 2}\n    - add: {inputs: [a, b]}\n    - dense: {units: 1, activation: sigmoid}\n',
  );
  const { runDir, predictions } = await trainAndPredict(graph);
  const loaded = await loadExportedModel(join(runDir, MODEL_DIR));
  const again = tf.tidy(() => Array.from((loaded.predict(tf.tensor2d(FIXED_INPUT)) as tf.Tensor).dataSync()));
  loaded.dispose();
  assert.deepEqual(again, predictions);
});

test('exportModel: false leaves the run folder without a model', async () => {
  const { runDir } = await trainAndPredict(XOR.replace('epochs: 60', 'epochs: 1'), false);
  assert.equal(existsSync(join(runDir, MODEL_DIR)), false);
});
