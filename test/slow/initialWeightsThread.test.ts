// The data thread (worker/engineData.ts) writes a PyTorch run's initial weights beside its data: those
// a tfjs run on wasm starts from, bit for bit, with the run's seed also when the file names none
// (each parse of such a file draws a random seed, and the thread parses the file again).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { useBackend } from '../../engine/train/backend';
import { writeEngineDataOffThread } from '../../host/engines/engineDataThread';
import { assertSameBits, CONV, readFiles, spec, tfjsStart } from '../unit/initialWeightsHelpers';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';

before(() => useBackend('wasm', wasmDir));

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
