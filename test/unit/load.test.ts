// Load (an editor open for days starts many runs; none may leak): 20 runs started and stopped in a
// row, then 3 at once. Afterwards nothing is left behind in the host process — no worker, timer or
// listener. The host's event-loop delay over the whole test is printed for docs/security.md; it is a
// figure, not a check (a busy CI machine moves it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { RunInfo } from '../../protocol/run';
import { newRunDir, readRun, RunRecorder } from '../../engine/runs/runStore';
import { TrainingRun } from '../../host/trainingRun';
import { repo, XOR } from './helpers';
import { bundledWorker } from './workerBundle';

const log = { info: () => {}, warn: () => {}, error: () => {} };
const info = (id: string): RunInfo => ({
  id, name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: new Date().toISOString(), epochs: 60, batchSize: 32, batchesPerEpoch: 0,
  trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33,
});
const createWorker = bundledWorker();
const LONG = XOR.replace('epochs: 60', 'epochs: 100000');

/** Handles that keep a process alive, by kind ('Worker'? no: MessagePort, Timeout, ...). */
function resources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of process.getActiveResourcesInfo()) counts.set(r, (counts.get(r) ?? 0) + 1);
  return counts;
}

async function startAndStop(id: string, afterMs: number): Promise<TrainingRun> {
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-load-')), id));
  const run = new TrainingRun({ info: info(id), source: LONG, extensionPath: repo, backend: 'auto', recorder, log, createWorker });
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  // Like a panel: one listener per run, disposed when the run ends.
  const panel = run.onDidUpdate(() => {});
  await new Promise<void>((resolve) => {
    const sub = run.onDidUpdate((e) => {
      if (e.type === 'append' && e.epochs.length > 0) {
        sub.dispose();
        resolve();
      }
    });
  });
  await new Promise((r) => setTimeout(r, afterMs));
  run.stop();
  await ended;
  panel.dispose();
  return run;
}

test('20 runs in a row and 3 at once leave no worker, timer or listener behind (event-loop delay printed)', async () => {
  const before = resources();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  lag.enable();
  for (let i = 0; i < 20; i++) {
    const run = await startAndStop(`seq-${i}`, 50);
    assert.equal(run.snapshot.status, 'stopped', `run ${i}`);
    assert.equal(readRun(run.snapshot.runDir ?? '')?.status, 'stopped');
  }
  const together = await Promise.all([0, 1, 2].map((i) => startAndStop(`par-${i}`, 300)));
  for (const run of together) assert.equal(run.snapshot.status, 'stopped');
  lag.disable();
  // Terminated workers release their handles on the next turns of the loop.
  await new Promise((r) => setTimeout(r, 500));
  const after = resources();
  for (const [kind, n] of after) assert.ok(n <= (before.get(kind) ?? 0), `${kind}: ${before.get(kind) ?? 0} before, ${n} after`);
  const p99 = lag.percentile(99) / 1e6;
  console.log(`event-loop delay over 23 runs: p50 ${(lag.percentile(50) / 1e6).toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ${(lag.max / 1e6).toFixed(1)} ms`);
});
