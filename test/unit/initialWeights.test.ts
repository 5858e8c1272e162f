// A PyTorch run starts from the weights a tfjs run of the same file and seed starts from: the host
// draws them with the tfjs engine's code (engine/train/initialWeights.ts) on the data thread
// (worker/engineData.ts; from the thread: test/slow/initialWeightsThread.test.ts). Here, bit for bit
// against buildModel(spec) on the wasm backend with the training kernels registered (what a tfjs run
// builds), for every layer kind with weights.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { writeInitialWeights } from '../../engine/train/initialWeights';
import { assertSameBits, CONV, DENSE, readFiles, spec, tfjsStart } from './initialWeightsHelpers';
import { wasmDir } from './helpers';

before(() => useBackend('wasm', wasmDir));

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

test('a layer that feeds nothing (tfjs does not build it) is named, not a bare "No such layer"', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-init-unused-'));
  try {
    const s = spec(DENSE.replace('    - dense: {units: 16, kernelInitializer: lecunNormal}\n', '    - dense: {id: side, units: 16}\n    - dense: {units: 12, inputs: [dense_6]}\n'));
    await assert.rejects(writeInitialWeights(s, join(dir, 'w.json'), wasmDir), /layer 'side' feeds no other layer, so the tfjs engine does not build it/);
    assert.equal(tf.getBackend(), 'wasm');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
