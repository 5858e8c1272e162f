// The host side of a run (host/trainingRun.ts, free of the vscode API) with a fake worker: garbage
// it sends, a crash, a message after the end. What the panel is told, and what the run record holds.
// The same with a real worker thread (trained to the end, stopped, killed, disposed) is in
// test/slow/trainingRun-worker.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { readRun } from '../../engine/runs/runStore';
import { XOR } from './helpers';
import { logs, start } from './trainingRunHelpers';

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
  assert.equal(logs.filter((l) => l.startsWith('warn Dropped a malformed message from the training worker')).length, 2);
  fake.emit('error', new Error('wasm out of bounds'));
  await ended;
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /The training worker crashed: wasm out of bounds/);
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
