// The extension host's side of a training run, for `npm run bench`: this process plays the host. It
// runs host/trainingRun.ts's TrainingRun with the real worker (worker/main.ts from source) on
// the MNIST subset, and measures (1) its own event-loop delay while progress streams in
// (perf_hooks.monitorEventLoopDelay), (2) the time from the end of a batch in the worker to its
// metric arriving here. The worker stamps each batch's end into shared memory (a bootstrap wraps
// ProgressCoalescer.batch, the call the loop makes right after the step). Prints one JSON line.
// Usage: node --import tsx bench/hostLag.ts <model: mlp|cnn> <workers: 1|2> [--smoke]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { RunInfo } from '../protocol/run';
import { TrainingRun } from '../host/trainingRun';

const root = join(__dirname, '..');
const MAX_STEPS = 1 << 16;

function source(model: string, workers: string, smoke: boolean): string {
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8');
  return text
    .replace('data: {dataset: digits, validationSplit: 0}', `data: {dataset: mnist, validationSplit: 0.1${smoke ? ', samples: 400' : ''}}`)
    .replace('batchSize: 64', `batchSize: 64, workers: ${workers}`)
    .replace('epochs: 4', `epochs: ${smoke ? 1 : 3}`);
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
};

async function main(): Promise<void> {
  const [model = 'cnn', workers = '1'] = process.argv.slice(2);
  const smoke = process.argv.includes('--smoke');
  const ends = new SharedArrayBuffer(8 * MAX_STEPS);
  const endAt = new Float64Array(ends);
  const createWorker = (_file: string, options: ConstructorParameters<typeof Worker>[1]) => {
    const boot = `
      require('tsx/cjs');
      const { workerData } = require('node:worker_threads');
      const ends = new Float64Array(workerData.ends);
      const { ProgressCoalescer } = require(${JSON.stringify(join(root, 'engine', 'train', 'coalesce.ts'))});
      const batch = ProgressCoalescer.prototype.batch;
      ProgressCoalescer.prototype.batch = function (p) {
        if (p.step < ends.length) ends[p.step] = performance.timeOrigin + performance.now();
        return batch.call(this, p);
      };
      require(${JSON.stringify(join(root, 'worker', 'main.ts'))});`;
    return new Worker(boot, { ...options, eval: true, workerData: { ends } });
  };
  const info: RunInfo = {
    id: 'bench', name: model, modelFile: join(root, 'bench', 'models', `${model}.model.yaml`), startedAt: new Date().toISOString(), epochs: 0,
    batchSize: 64, batchesPerEpoch: 0, trainSamples: 0, valSamples: 0, backend: '', metrics: ['loss'], dataset: 'mnist', seed: 1, totalParams: 0,
  };
  const quiet = { info: () => {}, warn: () => {}, error: (m: string) => process.stderr.write(`${m}\n`) };
  // The same measurement on an idle loop first: the floor the numbers below are read against.
  const idle = monitorEventLoopDelay({ resolution: 5 });
  idle.enable();
  await new Promise((r) => setTimeout(r, 500));
  idle.disable();
  const lag = monitorEventLoopDelay({ resolution: 5 });
  const latencies: number[] = [];
  let streaming = false;
  const run = new TrainingRun({ info, source: source(model, workers, smoke), extensionPath: root, backend: 'wasm', log: quiet, createWorker });
  const status = await new Promise<string>((resolve) => run.onDidUpdate((e) => {
    if (e.type === 'append') {
      const now = performance.timeOrigin + performance.now();
      // Measure the host while batches stream, not while the worker starts up.
      if (!streaming) {
        streaming = true;
        lag.enable();
      }
      for (const p of e.batches) if (p.step < MAX_STEPS && (endAt[p.step] as number) > 0) latencies.push(now - (endAt[p.step] as number));
    }
    if (e.type === 'status') resolve(e.status);
  }));
  lag.disable();
  run.dispose();
  const ms = (ns: number) => ns / 1e6;
  const epochs = run.snapshot.epochs;
  process.stdout.write(JSON.stringify({
    status, workers: run.snapshot.info.workers, samplesPerSec: epochs.length ? epochs[epochs.length - 1]?.samplesPerSec : 0,
    idleP50: ms(idle.percentile(50)), idleP99: ms(idle.percentile(99)), lagP50: ms(lag.percentile(50)), lagP99: ms(lag.percentile(99)), lagMax: ms(lag.max),
    metricP50: quantile(latencies, 0.5), metricP99: quantile(latencies, 0.99), batches: latencies.length,
  }) + '\n');
}

void main();
