// Training threads lower their own CPU priority (engine/train/threadPriority.ts) and nothing else's:
// on Linux the training thread, and a thread it starts (the data-parallel replica), run at nice 10
// while the thread that started them (the extension host) keeps its priority.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lowerThreadPriority, TRAINING_NICE } from '../../engine/train/threadPriority';
import { TrainingRun } from '../../host/trainingRun';
import { repo, XOR } from './helpers';
import type { RunInfo } from '../../protocol/run';

const linux = process.platform === 'linux';

/** Nice values of this process's threads, from /proc (field 19 of each task's stat). */
function threadNices(): number[] {
  return readdirSync('/proc/self/task').map((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
  });
}

test('the calling thread, and a thread it starts, run below; the thread that started it does not', { skip: !linux && 'per-thread nice values are Linux only' }, async () => {
  const before = getPriority(0);
  const code = `require('tsx/cjs');
    const { parentPort, Worker } = require('node:worker_threads');
    const os = require('node:os');
    const message = require(${JSON.stringify(join(repo, 'engine', 'train', 'threadPriority.ts'))}).lowerThreadPriority();
    const child = new Worker('require("node:worker_threads").parentPort.postMessage(require("node:os").getPriority(0))', { eval: true });
    child.once('message', (childNice) => { parentPort.postMessage({ message, nice: os.getPriority(0), childNice }); child.terminate(); });`;
  const w = new Worker(code, { eval: true });
  const got = await new Promise<{ message: string; nice: number; childNice: number }>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  await w.terminate();
  assert.equal(got.nice, TRAINING_NICE);
  assert.equal(got.childNice, TRAINING_NICE, 'a thread started afterwards inherits it');
  assert.match(got.message, /below the editor's priority \(nice 10, the editor 0\)/);
  assert.equal(getPriority(0), before, 'the starting thread keeps its priority');
});

test('elsewhere it changes nothing and says why', () => {
  const before = getPriority(0);
  assert.match(lowerThreadPriority('darwin'), /normal priority .*only possible on Linux, not on darwin/);
  assert.match(lowerThreadPriority('win32'), /not on win32/);
  assert.equal(getPriority(0), before);
});

test('a run started with lowerPriority trains at nice 10 in its worker while this thread stays at its priority', { skip: !linux && 'Linux only' }, async () => {
  const logs: string[] = [];
  const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
  const info: RunInfo = { id: 'nice', name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: new Date().toISOString(), epochs: 100000, batchSize: 32, batchesPerEpoch: 0,
    trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss'], dataset: 'xor', seed: 1, totalParams: 33 };
  const main = getPriority(0);
  const lowBefore = threadNices().filter((n) => n === TRAINING_NICE).length;
  const run = new TrainingRun({
    info, source: XOR.replace('epochs: 60', 'epochs: 100000'), extensionPath: repo, backend: 'auto', log, lowerPriority: true,
    createWorker: (_file, options) => new Worker(`require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'main.ts'))});`, { ...options, eval: true }),
  });
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'append' && e.epochs.length > 0 && resolve()));
  const during = threadNices();
  run.stop();
  await new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  assert.ok(logs.some((m) => /\[xor\] Training runs below the editor's priority \(nice 10/.test(m)), `the run's log says so: ${logs.join(' | ')}`);
  assert.equal(during.filter((n) => n === TRAINING_NICE).length, lowBefore + 1, `one more thread at nice 10 while training: ${during}`);
  assert.equal(getPriority(0), main, 'the host thread keeps its priority');
});
