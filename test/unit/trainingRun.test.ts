// The host side of a run (host/trainingRun.ts, free of the vscode API): a real worker thread
// trained to the end, stopped, killed half-way, and a worker that sends garbage. Each time: what the
// panel is told, and what the run record holds afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Worker } from 'node:worker_threads';
import type { HostToWebview } from '../../protocol/webview';
import type { RunInfo } from '../../protocol/run';
import { newRunDir, readRun, RunRecorder } from '../../engine/runs/runStore';
import { TrainingRun, type RunStart } from '../../host/trainingRun';
import { repo, XOR } from './helpers';

const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
const info = (id: string): RunInfo => ({
  id, name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: new Date().toISOString(), epochs: 60, batchSize: 32, batchesPerEpoch: 0,
  trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33,
});

/** Worker threads will not load .ts: a CommonJS bootstrap registers tsx, then runs worker/main.ts. */
function tsWorker(onCreate?: (w: Worker) => void): RunStart['createWorker'] {
  return (_file, options) => {
    const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'main.ts'))});`;
    const w = new Worker(boot, { ...options, eval: true });
    onCreate?.(w);
    return w;
  };
}

function start(id: string, source: string, createWorker: RunStart['createWorker']) {
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-host-')), id));
  const run = new TrainingRun({ info: info(id), source, extensionPath: repo, backend: 'auto', recorder, log, createWorker });
  const events: HostToWebview[] = [];
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => {
    events.push(e);
    if (e.type === 'status') resolve();
  }));
  return { run, events, ended, dir: recorder.dir };
}

test('a run trains to the end: the panel gets the info, increments and the final status; the record matches', async () => {
  const { run, events, ended, dir } = start('full', XOR, tsWorker());
  await ended;
  assert.equal(run.snapshot.status, 'completed');
  assert.equal(run.snapshot.epochs.length, 60);
  assert.equal(events[0]?.type, 'snapshot', 'the real run info arrives first');
  assert.ok(events.filter((e) => e.type === 'append').length >= 2, 'progress arrives as increments');
  const record = readRun(dir);
  assert.equal(record?.status, 'completed');
  assert.deepEqual(record?.epochs, run.snapshot.epochs);
  assert.equal(record?.info.backend, 'wasm');
});

test('Stop ends the run within a second as stopped', async () => {
  const { run, ended, dir } = start('stop', XOR.replace('epochs: 60', 'epochs: 100000'), tsWorker());
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'append' && resolve()));
  const t0 = Date.now();
  run.stop();
  await ended;
  assert.ok(Date.now() - t0 < 1000, `stopped in ${Date.now() - t0} ms`);
  assert.equal(run.snapshot.status, 'stopped');
  assert.equal(readRun(dir)?.status, 'stopped');
});

test('a worker killed half-way fails the run with the reason, leaves a readable prefix, and the next run starts', async () => {
  let worker: Worker | undefined;
  const { run, ended, dir } = start('killed', XOR.replace('epochs: 60', 'epochs: 100000'), tsWorker((w) => (worker = w)));
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'append' && e.epochs.length > 0 && resolve()));
  await worker?.terminate();
  await ended;
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /The training worker exited unexpectedly \(code 1\)/);
  const record = readRun(dir);
  assert.equal(record?.status, 'failed');
  assert.ok((record?.epochs.length ?? 0) >= 1, 'the epochs so far are in the record');
  const next = start('after', XOR.replace('epochs: 60', 'epochs: 2'), tsWorker());
  await next.ended;
  assert.equal(next.run.snapshot.status, 'completed');
});

test('garbage from a worker is dropped and logged; a crash is reported as failed', async () => {
  const fake = Object.assign(new EventEmitter(), {
    stdout: new PassThrough(), stderr: new PassThrough(), posted: [] as unknown[],
    postMessage(m: unknown) { this.posted.push(m); },
    terminate: async () => 1,
  });
  const { run, events, ended } = start('fake', XOR, () => fake as unknown as Worker);
  assert.equal((fake.posted[0] as { type: string }).type, 'start');
  fake.emit('message', { type: 'progress', batches: 'lots', epochs: [] });
  fake.emit('message', { type: 'executeCommand', command: 'rm -rf' });
  assert.equal(events.length, 0, 'nothing reached the panel');
  assert.equal(logs.filter((l) => l.startsWith('warn Dropped a malformed message from the worker')).length, 2);
  fake.emit('error', new Error('wasm out of bounds'));
  await ended;
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /The training worker crashed: wasm out of bounds/);
});

test('a run disposed mid-training (the extension host going away) is recorded as interrupted at once', async () => {
  const { run, ended, dir } = start('disposed', XOR.replace('epochs: 60', 'epochs: 100000'), tsWorker());
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'append' && e.epochs.length > 0 && resolve()));
  run.dispose();
  // No waiting: a host that is shutting down may not get another turn of its event loop.
  const record = readRun(dir);
  assert.equal(record?.status, 'failed');
  assert.match(record?.summary?.error ?? '', /^Interrupted after \d+ of 100000 epochs: the window was reloaded or closed/);
  assert.equal(record?.summary?.epochsDone, record?.epochs[record.epochs.length - 1]?.epoch, 'the summary counts the recorded epochs');
  await ended;
});

test('a progress message that arrives after the run ended is not recorded: the record stays as long as its summary says', async () => {
  const fake = Object.assign(new EventEmitter(), {
    stdout: new PassThrough(), stderr: new PassThrough(),
    postMessage() {},
    terminate: async () => 1,
  });
  const { run, events, ended, dir } = start('late', XOR, () => fake as unknown as Worker);
  const epoch = (n: number) => ({ epoch: n, loss: 0.5, learningRate: 0.01, samplesPerSec: 1000, elapsedMs: n * 10 });
  fake.emit('message', { type: 'progress', batches: [], epochs: [epoch(1)] });
  run.dispose();
  await ended;
  // Posted by the worker before terminate() took effect; delivered after the summary was written.
  fake.emit('message', { type: 'progress', batches: [], epochs: [epoch(2)] });
  const record = readRun(dir);
  assert.equal(record?.summary?.epochsDone, 1);
  assert.deepEqual(record?.epochs.map((e) => e.epoch), [1], 'the late epoch is not in the record');
  assert.deepEqual(run.snapshot.epochs.map((e) => e.epoch), [1]);
  assert.equal(events.filter((e) => e.type === 'append').length, 1, 'nor sent to the panel');
});
