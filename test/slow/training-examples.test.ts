// Full trainings in this process: XOR to the end on wasm, the digits MLP to its accuracy. Slow tier:
// each trains for seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { EpochPoint } from '../../protocol/run';
import { useBackend } from '../../engine/train/backend';
import { example, wasmDir, XOR } from '../unit/helpers';
import { collect, opts, run, specOf } from '../unit/trainingHelpers';

test('a short training learns XOR on the wasm backend, without leaking tensors', async () => {
  const sink = collect();
  await useBackend('wasm', wasmDir);
  const before = tf.memory().numTensors;
  const summary = await run(specOf(XOR), opts(sink));
  assert.equal(tf.memory().numTensors, before, 'every tensor of the run is disposed');
  assert.equal(summary.status, 'completed');
  assert.equal(sink.info?.backend, 'wasm');
  assert.equal(sink.epochs.length, 60);
  assert.equal(sink.batches.length, 60 * 10);
  const first = sink.epochs[0] as EpochPoint;
  const last = sink.epochs[59] as EpochPoint;
  assert.ok(last.loss < first.loss * 0.3, `loss fell: ${first.loss} -> ${last.loss}`);
  assert.ok((last.valAccuracy ?? 0) >= 0.95, `val accuracy ${last.valAccuracy}`);
});

test('digits MLP example reaches >= 0.93 validation accuracy', async () => {
  const sink = collect();
  const summary = await run(specOf(example('digits.model.yaml')), opts(sink));
  assert.equal(summary.status, 'completed');
  assert.ok((summary.final?.valAccuracy ?? 0) >= 0.93, `val accuracy ${summary.final?.valAccuracy}`);
});
