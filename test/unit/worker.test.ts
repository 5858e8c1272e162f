// The worker entry in a real worker thread (run from source through tsx), speaking the protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { type WorkerToHost, asWorkerToHost } from '../../protocol/worker';
import { repo, XOR } from './helpers';

function startWorker(source: string): { worker: Worker; messages: WorkerToHost[]; until: (type: WorkerToHost['type']) => Promise<WorkerToHost> } {
  // Worker threads will not load .ts directly; a one-line CommonJS bootstrap registers tsx first.
  const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'main.ts'))});`;
  const worker = new Worker(boot, { eval: true });
  const messages: WorkerToHost[] = [];
  const waiters: [WorkerToHost['type'], (m: WorkerToHost) => void][] = [];
  worker.on('message', (raw) => {
    const m = asWorkerToHost(raw);
    assert.ok(m, `the worker only sends valid messages: ${JSON.stringify(raw)}`);
    messages.push(m);
    for (const [type, resolve] of waiters) if (type === m.type) resolve(m);
  });
  const until = (type: WorkerToHost['type']) => new Promise<WorkerToHost>((resolve) => {
    const seen = messages.find((m) => m.type === type);
    if (seen) resolve(seen);
    else waiters.push([type, resolve]);
  });
  worker.postMessage({ type: 'start', runId: 'w1', source, modelFile: '/x/xor.model.yaml', assetsDir: repo, backend: 'auto' });
  return { worker, messages, until };
}

test('the worker trains and streams at most ~20 progress messages a second', async () => {
  const { worker, messages, until } = startWorker(XOR.replace('epochs: 60', 'epochs: 20'));
  const done = await until('done');
  await worker.terminate();
  assert.equal(done.type === 'done' && done.summary.status, 'completed');
  const started = messages.find((m) => m.type === 'started');
  assert.ok(started && started.type === 'started' && started.info.epochs === 20);
  const progress = messages.filter((m) => m.type === 'progress');
  const epochs = progress.flatMap((m) => (m.type === 'progress' ? m.epochs : []));
  assert.equal(epochs.length, 20);
  const seconds = done.type === 'done' ? done.summary.durationMs / 1000 : 1;
  assert.ok(progress.length <= Math.ceil(seconds * 20) + 2, `${progress.length} progress messages in ${seconds}s`);
});

test('stop ends a run cleanly with status stopped; malformed messages are dropped with a log', async () => {
  const { worker, until, messages } = startWorker(XOR.replace('epochs: 60', 'epochs: 100000'));
  await until('progress');
  worker.postMessage({ type: 'bogus' });
  worker.postMessage({ type: 'stop' });
  const t0 = Date.now();
  const done = await until('done');
  await worker.terminate();
  assert.ok(Date.now() - t0 < 1000, 'stopped within a second');
  assert.equal(done.type === 'done' && done.summary.status, 'stopped');
  assert.ok(messages.some((m) => m.type === 'log' && /dropped a malformed message/.test(m.message)));
});

test('a broken model file comes back as an error message with file:line:col', async () => {
  const { worker, until } = startWorker(XOR.replace('dense: {units: 8', 'dens: {units: 8'));
  const err = await until('error');
  await worker.terminate();
  assert.match(err.type === 'error' ? err.message : '', /\/x\/xor\.model\.yaml:12:7: error: Unknown layer 'dens'/);
});
