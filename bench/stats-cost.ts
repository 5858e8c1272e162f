// `npm run bench:stats`: what statistics of the inside of the network cost. Trains the digits CNN
// (examples/digits-cnn.model.yaml, the shipped data; BENCH_MODEL picks another example) with the default schedule (at init and after
// every epoch) and with `statistics: off`, alternating in this one process, and compares whole-run
// throughput, by wall time and by this process's CPU time (the machine may be shared: other
// processes stretch wall time, not our CPU time). Whole-run figures on a busy 2-core machine still
// vary by several percent, so it also times the statistics code directly inside a real run: every
// call of the statistics hook (init collection, per-epoch collections, diagnostics, message
// splitting) and of its taps into the loop (gradient norms of the epoch's last step, confusion
// counts from the validation pass), against the training time of a run without statistics.
// The stats sink serialises each record as the worker's postMessage does. Goal: under 5% slower.
// BENCH_VERBOSE=1 also prints every run's CPU time and every epoch's statistics time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { serialize } from 'node:v8';
import { assetDirs } from '../engine/assets';
import { parseModel } from '../model/language/parse';
import { insideHook } from '../engine/stats/insideHook';
import type { LoopContext, TrainingHook, TrainingSink } from '../engine/train/hooks';
import { train } from '../engine/train/loop';
import { standardHooks } from '../engine/train/standardHooks';
import { neverCancelled } from '../common/cancellation';

const root = join(__dirname, '..');
const dirs = assetDirs(root);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
// BENCH_MODEL=digits.model.yaml measures the digits MLP instead (any example with a `seed: 1` line).
const MODEL = process.env.BENCH_MODEL ?? 'digits-cnn.model.yaml';
const base = readFileSync(join(root, 'examples', MODEL), 'utf8');
const off = base.replace(/^(\s*)seed: 1$/m, '$1seed: 1\n$1statistics: off');
if (off === base) throw new Error(`${MODEL} has no \`seed: 1\` line to add \`statistics: off\` after.`);
const specOf = (text: string) => {
  const parsed = parseModel(text);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.spec;
};
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface RunFigures {
  samples: number;
  wallMs: number;
  cpuMs: number;
  epochMs: number[];
  epochCpuMs: number[];
}

async function run(text: string, hooks: TrainingHook[] = []): Promise<RunFigures> {
  let samples = 0;
  let lastElapsed = 0;
  let lastCpu = 0;
  const epochMs: number[] = [];
  const epochCpuMs: number[] = [];
  const sink: TrainingSink = {
    started: (i) => { samples = i.trainSamples * i.epochs; lastCpu = cpuMs(); }, batch: () => {}, log: () => {},
    epoch: (e) => {
      epochMs.push(e.elapsedMs - lastElapsed);
      lastElapsed = e.elapsedMs;
      epochCpuMs.push(cpuMs() - lastCpu);
      lastCpu = cpuMs();
    },
    // What the worker does with a record: postMessage serialises it (v8's structured clone).
    stats: (r) => { serialize(r); }, diagnostics: () => {},
  };
  const c0 = cpuMs();
  const t0 = performance.now();
  const spec = specOf(text);
  await train(spec, { runId: 'bench', modelFile: '', ...dirs, backend: 'wasm', token: neverCancelled, sink, hooks: [...standardHooks(spec), ...hooks] });
  return { samples, wallMs: performance.now() - t0, cpuMs: cpuMs() - c0, epochMs, epochCpuMs };
}

/** Wall and CPU time spent in the statistics code during one run, per epoch collection and in all. */
interface StatsTime {
  wall: number;
  cpu: number;
  init: number;
  perEpochWall: number[];
  perEpochCpu: number[];
}

/** The statistics hook with the default schedule, every call of it and of its loop taps timed. */
function timedInsideHook(t: StatsTime): TrainingHook {
  const inner = insideHook(specOf(base));
  let epochWall = 0;
  let epochCpu = 0;
  // `perBatch`: the calls made at every batch do almost nothing (a schedule check); reading the CPU
  // clock twice per call would cost more than they do, so their wall time stands for their CPU time.
  const timed = <A extends unknown[], R>(f: ((...a: A) => R) | undefined, after?: (wall: number, cpu: number) => void, perBatch = false) =>
    (...a: A): R | undefined => {
      if (!f) return undefined;
      const c0 = perBatch ? 0 : cpuMs();
      const t0 = performance.now();
      const r = f(...a);
      const wall = performance.now() - t0;
      const cpu = perBatch ? wall : cpuMs() - c0;
      t.wall += wall;
      t.cpu += cpu;
      epochWall += wall;
      epochCpu += cpu;
      after?.(wall, cpu);
      return r;
    };
  const wrapTaps = (ctx: LoopContext): void => {
    if (ctx.tapGradients) ctx.tapGradients = timed(ctx.tapGradients) as typeof ctx.tapGradients;
    if (ctx.tapValidation) ctx.tapValidation = timed(ctx.tapValidation) as typeof ctx.tapValidation;
  };
  return {
    begin: timed(inner.begin?.bind(inner), (wall) => { t.init = wall; epochWall = 0; epochCpu = 0; }) as TrainingHook['begin'],
    beforeBatch: (ctx) => {
      timed(inner.beforeBatch?.bind(inner), undefined, true)(ctx);
      wrapTaps(ctx);
    },
    afterBatch: timed(inner.afterBatch?.bind(inner), undefined, true) as TrainingHook['afterBatch'],
    afterEpoch: timed(inner.afterEpoch?.bind(inner), () => {
      t.perEpochWall.push(epochWall);
      t.perEpochCpu.push(epochCpu);
      epochWall = 0;
      epochCpu = 0;
    }) as TrainingHook['afterEpoch'],
    end: timed(inner.end?.bind(inner)) as TrainingHook['end'],
  };
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;
const pct = (extra: number, of: number): string => `${((extra / of) * 100).toFixed(1)}%`;

async function main(): Promise<void> {
  await run(off); // warm-up: backend start, kernels, data load
  await run(base);
  const withStats: RunFigures[] = [];
  const without: RunFigures[] = [];
  const inside: StatsTime[] = [];
  for (let i = 0; i < REPEATS; i++) {
    without.push(await run(off));
    withStats.push(await run(base));
    // The same hook the model file gets (standardHooks), on a `statistics: off` spec so it runs once.
    const t: StatsTime = { wall: 0, cpu: 0, init: 0, perEpochWall: [], perEpochCpu: [] };
    await run(off, [timedInsideHook(t)]);
    inside.push(t);
  }
  if (process.env.BENCH_VERBOSE) {
    console.log('CPU ms per run, off:', without.map((r) => r.cpuMs.toFixed(0)).join(' '), ' on:', withStats.map((r) => r.cpuMs.toFixed(0)).join(' '));
    console.log('statistics CPU ms per timed run:', inside.map((t) => t.cpu.toFixed(1)).join(' '), ' per epoch:', inside.map((t) => t.perEpochCpu.map((c) => c.toFixed(1)).join(',')).join(' | '));
  }
  const rate = (r: RunFigures, ms: number): number => r.samples / (ms / 1000);
  const wallOn = median(withStats.map((r) => rate(r, r.wallMs)));
  const wallOff = median(without.map((r) => rate(r, r.wallMs)));
  const cpuOn = median(withStats.map((r) => r.cpuMs));
  const cpuOff = median(without.map((r) => r.cpuMs));
  const epochs = without[0]?.epochMs.length ?? 0;
  const epochMs = median(without.flatMap((r) => r.epochMs.slice(1)));
  const epochCpu = median(without.flatMap((r) => r.epochCpuMs.slice(1)));
  const trainWall = median(without.map((r) => r.wallMs));
  const trainCpu = cpuOff;
  const statsWall = median(inside.map((t) => t.wall));
  const statsCpu = median(inside.map((t) => t.cpu));
  const oneWall = median(inside.flatMap((t) => t.perEpochWall));
  const oneCpu = median(inside.flatMap((t) => t.perEpochCpu));
  console.log(`${MODEL.replace('.model.yaml', '')} (${epochs} epochs, wasm, load average ${loadavg()[0]?.toFixed(1)}), medians of ${REPEATS} alternated runs in this process:`);
  console.log(`  whole run, wall: default schedule ${wallOn.toFixed(0)} samples/s, statistics off ${wallOff.toFixed(0)} samples/s -> ${pct(wallOff - wallOn, wallOff)} slower`);
  console.log(`  whole run, CPU time of this process: ${cpuOn.toFixed(0)} ms vs ${cpuOff.toFixed(0)} ms -> ${pct(cpuOn - cpuOff, cpuOff)} more`);
  console.log(`  one epoch's collection ${oneWall.toFixed(2)} ms wall, ${oneCpu.toFixed(2)} ms CPU vs one epoch ${epochMs.toFixed(0)} ms wall, ${epochCpu.toFixed(0)} ms CPU`
    + ` -> ${pct((epochs + 1) * oneWall, epochs * epochMs)} wall, ${pct((epochs + 1) * oneCpu, epochs * epochCpu)} CPU for ${epochs + 1} collections`);
  console.log(`  statistics code timed inside a run (init collection ${median(inside.map((t) => t.init)).toFixed(1)} ms wall, ${epochs} epoch collections, loop taps, every hook call):`
    + ` ${statsWall.toFixed(1)} ms wall, ${statsCpu.toFixed(1)} ms CPU vs a run without statistics ${trainWall.toFixed(0)} ms wall, ${trainCpu.toFixed(0)} ms CPU`);
  console.log(`  -> the default schedule costs ${pct(statsCpu, trainCpu)} of training time by CPU time (${pct(statsWall, trainWall)} by wall time); goal < 5%`);
}

void main();
