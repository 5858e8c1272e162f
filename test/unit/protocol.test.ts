import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asHostToWorker, asWorkerToHost } from '../../protocol/worker';
import { asHostToWebview, asWebviewToHost } from '../../protocol/webview';
import { ProgressCoalescer, type ProgressChunk } from '../../engine/train/coalesce';
import { makeRng } from '../../common/random';

const epoch = { epoch: 1, loss: 0.5, learningRate: 0.01, samplesPerSec: 10, elapsedMs: 5 };
const info = { id: 'a', name: 'n', modelFile: '', startedAt: '', epochs: 1, batchSize: 1, batchesPerEpoch: 1, trainSamples: 1, valSamples: 0, backend: 'wasm', metrics: ['loss'], dataset: 'xor', seed: 1, totalParams: 3 };

test('worker messages: valid ones pass, malformed ones are refused', () => {
  assert.ok(asWorkerToHost({ type: 'progress', batches: [{ step: 1, epoch: 1, x: 0.5, loss: NaN }], epochs: [epoch] }), 'a NaN loss is data, not a malformed message');
  assert.ok(asWorkerToHost({ type: 'started', info }));
  assert.ok(asWorkerToHost({ type: 'done', summary: { status: 'completed', endedAt: '', durationMs: 1, epochsDone: 1 } }));
  for (const bad of [null, 1, 'progress', {}, { type: 'progress' }, { type: 'progress', batches: [{ loss: 1 }], epochs: [] }, { type: 'started', info: { ...info, epochs: '1' } },
    { type: 'done', summary: { status: 'exploded' } }, { type: 'eval', code: 'x' }, { type: '__proto__' }, { type: 'toString' }]) {
    assert.equal(asWorkerToHost(bad), undefined, JSON.stringify(bad));
  }
  assert.deepEqual(asHostToWorker({ type: 'stop', extra: 1 }), { type: 'stop' });
  assert.equal(asHostToWorker({ type: 'start', runId: 'x' }), undefined);
  assert.equal(asHostToWorker({ type: 'start', runId: 'x', source: '', modelFile: '', assetsDir: '', backend: 'gpu' }), undefined);
});

test('webview messages: only the fixed list of actions is accepted', () => {
  assert.deepEqual(asWebviewToHost({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(asWebviewToHost({ type: 'stop', runId: 'r', command: 'workbench.action.terminal.new' }), { type: 'stop', runId: 'r' });
  for (const bad of [{ type: 'executeCommand', command: 'x' }, { type: 'stop' }, { type: 'trainAgain', runId: 5 }, [], 'ready']) {
    assert.equal(asWebviewToHost(bad), undefined, JSON.stringify(bad));
  }
  assert.ok(asHostToWebview({ type: 'snapshot', run: { info, status: 'running', batches: [], epochs: [epoch] } }));
  assert.equal(asHostToWebview({ type: 'snapshot', run: { info, status: 'bogus', batches: [], epochs: [] } }), undefined);
  assert.equal(asHostToWebview({ type: 'append', runId: 'a', batches: 'x', epochs: [] }), undefined);
});

test('random messages never throw and are never accepted unless well-formed', () => {
  const rng = makeRng(42);
  const values = [null, undefined, 0, -1, NaN, '', 'x', true, [], {}, { type: 'progress' }, { type: 'start' }, { type: 'ready' }];
  const pick = () => values[Math.floor(rng() * values.length)];
  const types = ['start', 'stop', 'progress', 'started', 'done', 'error', 'log', 'ready', 'snapshot', 'append', 'status', 'trainAgain', 'x'];
  for (let i = 0; i < 10_000; i++) {
    const msg: Record<string, unknown> = { type: types[Math.floor(rng() * types.length)] };
    for (const key of ['runId', 'batches', 'epochs', 'info', 'summary', 'message', 'level', 'source', 'run', 'status']) if (rng() < 0.5) msg[key] = pick();
    for (const validate of [asHostToWorker, asWorkerToHost, asHostToWebview, asWebviewToHost]) {
      const out = validate(msg) as { type?: string } | undefined;
      if (out) assert.equal(out.type, msg.type);
    }
  }
});

test('the coalescer sends at most one chunk per interval, loses nothing, and flushes the tail', async () => {
  let now = 0;
  const chunks: ProgressChunk[] = [];
  const c = new ProgressCoalescer((chunk) => chunks.push(chunk), 50, () => now);
  for (let i = 1; i <= 1000; i++) {
    now = i; // one batch per millisecond: 1000 batches a second
    c.batch({ step: i, epoch: 1, x: i / 1000, loss: 1 });
  }
  c.epoch(epoch);
  c.flush();
  assert.ok(chunks.length <= 1000 / 50 + 2, `${chunks.length} chunks for 1 s of batches`);
  assert.equal(chunks.reduce((n, ch) => n + ch.batches.length, 0), 1000);
  assert.deepEqual(chunks.flatMap((ch) => ch.batches.map((b) => b.step)), Array.from({ length: 1000 }, (_, i) => i + 1));
  assert.equal(chunks.at(-1)?.epochs.length, 1);
});

test('coalescer: a message queued with after() follows the points before it and adds no progress message', () => {
  let now = 0;
  const log: string[] = [];
  const c = new ProgressCoalescer((chunk) => log.push(`progress ${chunk.batches.map((b) => b.step).join(',')}`), 50, () => now);
  c.batch({ step: 1, epoch: 1, x: 1, loss: 1 }); // flushed at once: the first message of a run
  now = 10;
  c.batch({ step: 2, epoch: 1, x: 2, loss: 1 });
  c.after(() => log.push('stats 1'));
  now = 20;
  c.batch({ step: 3, epoch: 1, x: 3, loss: 1 });
  assert.deepEqual(log, ['progress 1'], 'nothing more before the interval');
  c.flush();
  assert.deepEqual(log, ['progress 1', 'progress 2,3', 'stats 1']);
  c.after(() => log.push('stats 2'));
  c.flush();
  assert.deepEqual(log.at(-1), 'stats 2', 'sent even with no points pending');
});
