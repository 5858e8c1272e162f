// Runs worker/main.ts from source (through tsx) on one start request and collects every message it
// sends, each checked by the host's own validator, until 'done' or 'error'.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { asWorkerToHost, type WorkerToHost } from '../../protocol/worker';
import { repo } from './helpers';

export function runWorkerToEnd(runId: string, file: string, source: string): Promise<WorkerToHost[]> {
  const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'main.ts'))});`;
  const worker = new Worker(boot, { eval: true });
  const messages: WorkerToHost[] = [];
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.on('message', (raw) => {
      const m = asWorkerToHost(raw);
      assert.ok(m, `invalid message ${JSON.stringify(raw)}`);
      messages.push(m);
      if (m.type === 'done' || m.type === 'error') void worker.terminate().then(() => resolve(messages));
    });
    worker.postMessage({ type: 'start', runId, source, modelFile: file, assetsDir: repo, backend: 'auto' });
  });
}
