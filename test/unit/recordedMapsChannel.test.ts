// The pick -> maps request of a finished run over protocol/channel.ts, both ends: the host's
// RecordedMapsWorker against a scripted worker (what it is told when the worker answers, refuses, sends
// garbage, stays silent or dies), and the real worker entry answering requests with the channel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RecordedMapsWorker } from '../../host/recordedMapsWorker';
import { Channel, ChannelError, eventPort } from '../../protocol/channel';
import type { ExamplePick } from '../../protocol/pickedMaps';
import { asHostToWorker, asWorkerToHost, type HostToWorker, type WorkerToHost } from '../../protocol/worker';
import { workerBundle } from './workerBundle';
import { repo } from './helpers';

const logs: string[] = [];
const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };

function runDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ml-recorded-'));
  writeFileSync(join(dir, 'model.yaml'), 'name: m\n');
  return dir;
}

/** A worker thread stand-in: what the host posts reaches `inner`, what `inner` posts reaches the host. */
function scriptedWorker() {
  const inner = new EventEmitter() as EventEmitter & { postMessage(m: unknown): void };
  const outer = Object.assign(new EventEmitter(), {
    terminated: false,
    postMessage: (m: unknown) => setImmediate(() => inner.emit('message', structuredClone(m))),
    terminate: async () => {
      outer.terminated = true;
      return 0;
    },
  });
  inner.postMessage = (m: unknown) => setImmediate(() => outer.emit('message', structuredClone(m)));
  const side = new Channel<HostToWorker, WorkerToHost>(eventPort(inner), asHostToWorker);
  return { outer, inner, side, create: () => outer as unknown as Worker };
}

const pick = (index: number): ExamplePick => ({ split: 'train', index });
const errorOf = (r: unknown): string => (r && typeof r === 'object' && 'error' in r ? String(r.error) : assert.fail(`not an error reply: ${JSON.stringify(r)}`));

test('recorded maps: each pick is a request; a pick replaced while waiting gets nothing, the newest its answer', async () => {
  const w = scriptedWorker();
  const served: HostToWorker[] = [];
  w.side.onMessage((m) => served.push(m));
  // Like worker/servePickedMaps.ts while it loads: an older waiting pick is refused, the newest answered.
  let waiting: (() => void) | undefined;
  w.side.onRequest((m) => new Promise((resolve, reject) => {
    if (m.type !== 'pickMaps') return reject(new Error('only picks'));
    waiting?.();
    waiting = () => reject(new Error('A newer pick replaced this one.'));
    setTimeout(() => resolve({ type: 'pickedMaps', reply: { pick: m.pick, error: `no maps for ${m.pick.index}` } }), 30);
  }));
  const maps = new RecordedMapsWorker({ runDir: runDir(), modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: w.create });
  const [first, second] = await Promise.all([maps.request(pick(1)), maps.request(pick(2))]);
  assert.equal(first, undefined, 'the replaced pick is not answered');
  assert.equal(errorOf(second), 'no maps for 2');
  assert.deepEqual(served.map((m) => m.type), ['serveMaps'], 'the worker is told once what to serve');
  maps.dispose();
  assert.ok(w.outer.terminated);
});

test('recorded maps: a refusal, a garbage answer and silence each end in an error the panel can show', async () => {
  const w = scriptedWorker();
  let mode: 'refuse' | 'garbage' | 'silent' = 'refuse';
  w.side.onRequest(() => {
    if (mode === 'refuse') throw new Error('Feature maps are not served here.');
    if (mode === 'garbage') return { type: 'pickedMaps', reply: { pick: pick(3), maps: { layers: 'lots' } } } as unknown as WorkerToHost;
    return new Promise(() => undefined);
  });
  const maps = new RecordedMapsWorker({ runDir: runDir(), modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: w.create, idleMs: 60 });
  assert.equal(errorOf(await maps.request(pick(3))), 'Feature maps are not served here.');
  mode = 'garbage';
  logs.length = 0;
  assert.match(errorOf(await maps.request(pick(3))), /answered with something invalid/);
  assert.ok(logs.some((l) => l.startsWith('warn Dropped a message from the feature-map worker')), logs.join('\n'));
  mode = 'silent';
  assert.match(errorOf(await maps.request(pick(3))), /did not answer within 0.06 s/);
  maps.dispose();
});

test('recorded maps: the worker dying answers the waiting pick; dispose() answers nothing', async () => {
  const w = scriptedWorker();
  w.side.onRequest(() => new Promise(() => undefined));
  const maps = new RecordedMapsWorker({ runDir: runDir(), modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: w.create });
  const dying = maps.request(pick(4));
  setTimeout(() => w.outer.emit('exit', 7), 10);
  assert.match(errorOf(await dying), /stopped \(exit code 7\) before it answered/);
  const w2 = scriptedWorker();
  w2.side.onRequest(() => new Promise(() => undefined));
  const maps2 = new RecordedMapsWorker({ runDir: runDir(), modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: w2.create });
  const dropped = maps2.request(pick(5));
  maps2.dispose();
  assert.equal(await dropped, undefined);
});

test('the worker entry answers a pick request only once it serves a finished run, and validates what it is sent', async () => {
  const thread = new Worker(workerBundle());
  const bad: string[] = [];
  const host = new Channel<WorkerToHost, HostToWorker>(eventPort(thread), asWorkerToHost, { onMalformed: (_raw, why) => bad.push(why) });
  const said: WorkerToHost[] = [];
  host.onMessage((m) => said.push(m));
  try {
    await assert.rejects(host.request({ type: 'pickMaps', pick: pick(0) }, 'pickedMaps', 20_000), (e: unknown) => e instanceof ChannelError && e.kind === 'remote' && /only by a worker serving/.test(e.message));
    await assert.rejects(host.request({ type: 'pickMaps', pick: { split: 'test', index: 0 } } as unknown as HostToWorker, 'pickedMaps', 20_000), /not a valid message/);
    // A JavaScript model file's run is not run again: the answer says so, for every pick asked.
    host.post({ type: 'serveMaps', runDir: runDir(), source: '', modelFile: '/w/net.model.js', assetsDir: repo, backend: 'auto' });
    const answers = await Promise.allSettled([host.request({ type: 'pickMaps', pick: pick(1) }, 'pickedMaps', 20_000), host.request({ type: 'pickMaps', pick: pick(2) }, 'pickedMaps', 20_000)]);
    const last = answers[1];
    assert.ok(last.status === 'fulfilled', 'the newest pick is answered');
    assert.match(errorOf(last.value.reply), /JavaScript model file/);
    assert.deepEqual(last.value.reply.pick, pick(2));
    assert.deepEqual(bad, [], 'the worker sends only valid messages');
    assert.ok(said.some((m) => m.type === 'log' && /dropped a malformed message/.test(m.message)), 'the invalid request was reported back');
  } finally {
    host.dispose();
    await thread.terminate();
  }
});
