// Shared by test/unit/trainingRun.test.ts and test/slow/trainingRun-worker.test.ts: a TrainingRun
// started on a scratch run folder, the worker it talks to made by the test.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { HostToWebview } from '../../protocol/webview';
import type { RunInfo } from '../../protocol/run';
import { newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { TrainingRun, type RunStart } from '../../host/trainingRun';
import { repo } from './helpers';

export const logs: string[] = [];
export const log = { info: (m: string) => logs.push(m), warn: (m: string) => logs.push(`warn ${m}`), error: (m: string) => logs.push(`error ${m}`) };
export const info = (id: string): RunInfo => ({
  id, name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: new Date().toISOString(), epochs: 60, batchSize: 32, batchesPerEpoch: 0,
  trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33,
});

/** Worker threads will not load .ts: a CommonJS bootstrap registers tsx, then runs worker/main.ts. */
export function tsWorker(onCreate?: (w: Worker) => void): RunStart['createWorker'] {
  return (_file, options) => {
    const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'main.ts'))});`;
    const w = new Worker(boot, { ...options, eval: true });
    onCreate?.(w);
    return w;
  };
}

export function start(id: string, source: string, createWorker: RunStart['createWorker']) {
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-host-')), id));
  const run = new TrainingRun({ info: info(id), source, extensionPath: repo, backend: 'auto', recorder, log, createWorker });
  const events: HostToWebview[] = [];
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => {
    events.push(e);
    if (e.type === 'status') resolve();
  }));
  return { run, events, ended, dir: recorder.dir };
}
