// The host side of a run (host/trainingRun.ts, free of the vscode API) with a real worker thread:
// trained to the end, stopped, killed half-way, disposed mid-run. Each time: what the panel is told,
// and what the run record holds afterwards. Slow tier: each run starts a worker through tsx.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Worker } from 'node:worker_threads';
import { readRun } from '../../engine/runs/runStore';
import { XOR } from '../unit/helpers';
import { start, tsWorker } from '../unit/trainingRunHelpers';

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
