// The training worker as the extension runs it — one esbuild bundle — but made from the sources
// under test, once per test process (~1 s), so tests never run a stale dist/worker.js. Starting
// a worker through tsx instead costs seconds per worker: too slow for tests that start fifty.
import { buildSync } from 'esbuild';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { repo } from './helpers';

let bundle: string | undefined;

export function workerBundle(): string {
  if (bundle) return bundle;
  const out = join(mkdtempSync(join(tmpdir(), 'ml-worker-')), 'worker.js');
  // Same options as scripts/build.mjs's Node bundles (ignoreAnnotations keeps the cpu backend's registration).
  buildSync({ entryPoints: [join(repo, 'worker', 'main.ts')], outfile: out, bundle: true, platform: 'node', target: 'node20', format: 'cjs', ignoreAnnotations: true, logLevel: 'error' });
  bundle = out;
  return out;
}

/** A createWorker for TrainingRun that starts the fresh bundle, and lets the test keep the Worker. */
export function bundledWorker(onCreate: (w: Worker) => void = () => {}) {
  return (_file: string, options: ConstructorParameters<typeof Worker>[1]): Worker => {
    const w = new Worker(workerBundle(), options);
    onCreate(w);
    return w;
  };
}
