// How long the compare panel takes to get its data ready for 200 runs of 10k points each: reading
// the run records from disk, then preparing the lines (smoothing, thinning, best markers, config
// table). Goal: the panel opens in under a second. Run: npm run bench:compare [-- runs points]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BatchPoint, EpochPoint, RunInfo } from '../protocol/run';
import { prepareCompare, type CompareRun } from '../host/compare/prepare';
import { readCompareRun } from '../host/compare/readCompareRun';
import { listRuns, newRunDir, RunRecorder } from '../engine/runs/runStore';

const RUNS = Number(process.argv[2] ?? 200);
const POINTS = Number(process.argv[3] ?? 10_000);
const EPOCHS = 100;

function writeSyntheticRuns(root: string): void {
  for (let r = 0; r < RUNS; r++) {
    const lr = 0.001 * 2 ** (r % 10);
    const dir = newRunDir(root, `sweep-${r}`, new Date(Date.UTC(2026, 0, 1, 0, 0, r)));
    const rec = new RunRecorder(dir);
    rec.writeModel(`name: sweep-${r}\ntrain:\n  learningRate: ${lr}\n  batchSize: ${16 << (r % 3)}\n  epochs: ${EPOCHS}\n`, '/bench/sweep.model.yaml');
    const info: RunInfo = { id: `r${r}`, name: `sweep-${r}`, modelFile: '/bench/sweep.model.yaml', startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, r)).toISOString(), epochs: EPOCHS, batchSize: 32, batchesPerEpoch: POINTS / EPOCHS, trainSamples: 0, valSamples: 0, backend: 'cpu', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: r, totalParams: 33 };
    rec.writeInfo(info);
    const batches: BatchPoint[] = [];
    const epochs: EpochPoint[] = [];
    for (let i = 0; i < POINTS; i++) {
      const x = (i + 1) / (POINTS / EPOCHS);
      batches.push({ step: i + 1, epoch: Math.ceil(x), x, loss: Math.exp(-x * lr * 10) + 0.05 * Math.sin(i * 12.9898 + r) ** 2 });
      if ((i + 1) % (POINTS / EPOCHS) === 0) {
        const e = Math.round(x);
        epochs.push({ epoch: e, loss: Math.exp(-e * lr * 10), accuracy: 1 - Math.exp(-e * lr * 10) / 2, valLoss: Math.exp(-e * lr * 9), valAccuracy: 1 - Math.exp(-e * lr * 9) / 2, learningRate: lr, samplesPerSec: 1000, elapsedMs: e * 100 });
      }
    }
    rec.append(batches, epochs);
    rec.writeSummary({ status: 'completed', endedAt: info.startedAt, durationMs: 10_000, epochsDone: EPOCHS });
  }
}

/** Wall and CPU milliseconds of `f` (on a loaded machine CPU time says more about this code). */
function time<T>(f: () => T): { value: T; wall: number; cpu: number } {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = f();
  const d = process.cpuUsage(c);
  return { value, wall: performance.now() - t, cpu: (d.user + d.system) / 1000 };
}

const ms = (t: { wall: number; cpu: number }): string => `${t.wall.toFixed(0).padStart(6)} ms wall ${t.cpu.toFixed(0).padStart(6)} ms cpu`;

const root = mkdtempSync(join(tmpdir(), 'ml-bench-compare-'));
try {
  writeSyntheticRuns(root);
  const dirs = listRuns(root);
  // Opening: the panel's default metric (val loss) needs the epochs only; batch lines are counted, not read.
  const read = time(() => dirs.flatMap((dir) => readCompareRun(dir) ?? []));
  const open = time(() => prepareCompare(read.value, 'valLoss', 0.6));
  // Switching to the per-batch loss: every batch point read, smoothed and thinned.
  const readAll = time(() => dirs.flatMap((dir): CompareRun[] => { const r = readCompareRun(dir, { batches: true }); return r ? [r] : []; }));
  const batch = time(() => prepareCompare(readAll.value, 'batchLoss', 0.9));
  const drawn = batch.value.series.reduce((n, x) => n + x.raw.length + x.smooth.length, 0);
  const bytes = JSON.stringify({ type: 'view', view: batch.value }).length;
  console.log(`${read.value.length} runs x ${POINTS} batch points + ${EPOCHS} epochs`);
  console.log(`open, val loss:   read ${ms(read)}   prepare ${ms(open)}`);
  console.log(`batch loss:       read ${ms(readAll)}   prepare ${ms(batch)}   (${drawn} points drawn, message ${(bytes / 1024).toFixed(0)} KB)`);
  const total = read.wall + open.wall;
  console.log(`panel opens in ${total.toFixed(0)} ms (${(read.cpu + open.cpu).toFixed(0)} ms cpu): ${total < 1000 ? 'under' : 'OVER'} the 1 s goal`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
