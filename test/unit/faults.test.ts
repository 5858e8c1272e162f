// Fault injection on the host side of a run, since a crashing worker must never take the editor
// down: the training worker terminated at random points 50 times, a worker that runs out of memory,
// and one that hangs. Each time the host stays responsive, the run ends as failed with the reason,
// its record reads back as a valid prefix, and the next run starts normally.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import type { RunInfo } from '../../protocol/run';
import { newRunDir, readRun, RunRecorder } from '../../engine/runs/runStore';
import { makeRng } from '../../common/random';
import { TrainingRun, type RunStart } from '../../host/trainingRun';
import { repo, XOR } from './helpers';
import { bundledWorker } from './workerBundle';

const KILLS = 50;
const log = { info: () => {}, warn: () => {}, error: () => {} };
const info = (id: string): RunInfo => ({
  id, name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: new Date().toISOString(), epochs: 60, batchSize: 32, batchesPerEpoch: 0,
  trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33,
});

function start(id: string, source: string, onCreate: (w: Worker) => void = () => {}, extra: Partial<RunStart> = {}) {
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-fault-')), id));
  const run = new TrainingRun({ info: info(id), source, extensionPath: repo, backend: 'auto', recorder, log, createWorker: bundledWorker(onCreate), ...extra });
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  return { run, ended, dir: recorder.dir };
}

const LONG = XOR.replace('epochs: 60', 'epochs: 100000');

function firstEpoch(run: TrainingRun): Promise<void> {
  return new Promise((resolve) => {
    const sub = run.onDidUpdate((e) => {
      if ((e.type === 'append' && e.epochs.length > 0) || e.type === 'status') {
        sub.dispose();
        resolve();
      }
    });
  });
}

test(`the worker terminated at ${KILLS} random points: each run fails with the reason and keeps a valid prefix`, async () => {
  const rng = makeRng(8);
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let withEpochs = 0;
  for (let i = 0; i < KILLS; i++) {
    let worker: Worker | undefined;
    const { run, ended, dir } = start(`kill-${i}`, LONG, (w) => (worker = w));
    // Half the kills while the worker loads and builds the model, half during training (timed
    // from the first epoch, so the split holds however loaded the machine is).
    if (i % 2 === 1) await firstEpoch(run);
    await new Promise((r) => setTimeout(r, Math.floor(rng() * (i % 2 === 1 ? 500 : 300))));
    await worker?.terminate();
    await ended;
    assert.equal(run.snapshot.status, 'failed', `kill ${i}`);
    assert.match(run.snapshot.summary?.error ?? '', /The training worker exited unexpectedly/, `kill ${i}`);
    const record = readRun(dir);
    assert.ok(record, `kill ${i}: the record reads back`);
    assert.equal(record.status, 'failed');
    assert.deepEqual(record.epochs, run.snapshot.epochs.slice(0, record.epochs.length), `kill ${i}: the record is a prefix of what the host saw`);
    if (record.epochs.length > 0) withEpochs++;
  }
  lag.disable();
  assert.ok(withEpochs >= KILLS / 2, `half the kills land during training (${withEpochs} of ${KILLS} had epochs)`);
  // The host's own thread never waited on a worker.
  assert.ok(lag.percentile(99) / 1e6 < 200, `event-loop delay p99 ${(lag.percentile(99) / 1e6).toFixed(1)} ms`);
  const next = start('after-kills', XOR.replace('epochs: 60', 'epochs: 2'));
  await next.ended;
  assert.equal(next.run.snapshot.status, 'completed');
});

test('a model too big for memory is refused before anything is allocated, on the line of its biggest layer', async () => {
  // 60000x60000 float32 weights are 14 GB (58 GB to train with Adam): tfjs would try to fill them first.
  const huge = XOR.replace('- dense: {units: 8, activation: tanh}', '- dense: {units: 60000, activation: tanh}\n    - dense: {units: 60000, activation: tanh}');
  const { run, ended } = start('too-big', huge);
  await ended;
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /:13:\d+: error: The model has 3,600,\d{3},\d{3} parameters: training needs about 53\.\d GB, more than the 4\.0 GB .* \[model-too-big\]/);
});

test('a worker that runs out of its memory limit is reported as such; the host goes on', async () => {
  const { run, ended } = start('oom', XOR, () => {}, { memoryLimitMb: 8 });
  await ended;
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /The training worker ran out of memory \(its limit is 8 MB\)/, run.snapshot.summary?.error);
  const next = start('after-oom', XOR.replace('epochs: 60', 'epochs: 2'));
  await next.ended;
  assert.equal(next.run.snapshot.status, 'completed');
});

test('a worker that hangs (no message for the timeout) is stopped and the run fails saying so', async () => {
  let terminated = 0;
  const silent = Object.assign(new EventEmitter(), {
    stdout: new PassThrough(), stderr: new PassThrough(), postMessage() {}, terminate: async () => { terminated++; return 1; },
  });
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-fault-')), 'hang'));
  const run = new TrainingRun({ info: info('hang'), source: XOR, extensionPath: repo, backend: 'auto', recorder, log, hangTimeoutMs: 300, createWorker: () => silent as unknown as Worker });
  const t0 = Date.now();
  // The watchdog's timer is unref'd (it must not keep an extension host alive); this test has
  // nothing else pending, so hold the event loop open while it waits.
  const keepAlive = setInterval(() => {}, 1000);
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  clearInterval(keepAlive);
  assert.ok(Date.now() - t0 >= 290, 'not before the timeout');
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /stopped responding \(no message for 0.3 s\)/);
  assert.ok(terminated >= 1, 'the worker was terminated');
  assert.equal(readRun(recorder.dir)?.status, 'failed');
});

test('a full disk: training goes on to the end, the user is told once, the record keeps what was written', async () => {
  const warnings: string[] = [];
  const dir = newRunDir(mkdtempSync(join(tmpdir(), 'ml-fault-')), 'full');
  // /dev/full refuses every write with ENOSPC, as a full disk does.
  symlinkSync('/dev/full', join(dir, 'metrics.jsonl'));
  const recorder = new RunRecorder(dir, (m) => warnings.push(m));
  const run = new TrainingRun({ info: info('full'), source: XOR.replace('epochs: 60', 'epochs: 5'), extensionPath: repo, backend: 'auto', recorder, log, createWorker: bundledWorker() });
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  assert.equal(run.snapshot.status, 'completed');
  assert.equal(run.snapshot.epochs.length, 5, 'the panel saw every epoch');
  assert.equal(warnings.length, 1, 'told once');
  assert.match(warnings[0] ?? '', /could not write the run record .*ENOSPC/);
  const record = readRun(dir);
  assert.equal(record?.status, 'completed', 'run.json and summary.json were written');
});
