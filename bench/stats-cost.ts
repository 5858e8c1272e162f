// `npm run bench:stats`: what statistics of the inside of the network cost. Trains the digits CNN
// (examples/digits-cnn.model.yaml, the shipped data) with the default schedule (at init and after
// every epoch) and with `statistics: off`, alternating, and compares whole-run throughput (wall
// time of train(), every collection included). Whole-run timings on a shared 2-core machine vary by
// ±10%, so it also times one collection directly against one epoch: the cost of the default
// schedule is (epochs + 1) collections on a probe of 32 examples over the run. Goal: under 5% slower.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { assetDirs } from '../core/assets';
import { splitDataset } from '../core/data/dataset';
import { loadDataset } from '../core/data/load';
import { parseModel } from '../core/spec/parse';
import { StatsCollector } from '../core/stats/collect';
import { DEFAULT_STATS_SCHEDULE } from '../core/stats/schedule';
import { useBackend } from '../core/train/backend';
import { buildModel } from '../core/train/buildModel';
import { train } from '../core/train/loop';
import { encode, toTensors } from '../core/train/tensors';
import { neverCancelled } from '../core/util/cancellation';

const root = join(__dirname, '..');
const dirs = assetDirs(root);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const base = readFileSync(join(root, 'examples', 'digits-cnn.model.yaml'), 'utf8');
const off = base.replace(/^(\s*)seed: 1$/m, '$1seed: 1\n$1statistics: off');
const specOf = (text: string) => {
  const parsed = parseModel(text);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.spec;
};

async function run(text: string): Promise<{ rate: number; epochMs: number }> {
  let samples = 0;
  let lastElapsed = 0;
  const epochMs: number[] = [];
  const t0 = performance.now();
  await train(specOf(text), {
    runId: 'bench', modelFile: '', ...dirs, backend: 'wasm', token: neverCancelled,
    sink: {
      started: (i) => { samples = i.trainSamples * i.epochs; }, batch: () => {}, log: () => {},
      epoch: (e) => { epochMs.push(e.elapsedMs - lastElapsed); lastElapsed = e.elapsedMs; },
    },
  });
  return { rate: samples / ((performance.now() - t0) / 1000), epochMs: median(epochMs.slice(1)) };
}

/** One collection on the digits CNN, as the hook does it after an epoch (probe of 64, val set). */
async function collectMs(): Promise<number> {
  const spec = specOf(base);
  await useBackend('wasm', dirs.wasmDir);
  const { train: t, val: v } = splitDataset(loadDataset(spec.data, dirs.datasetsDir), spec.data.validationSplit);
  const model = buildModel(spec);
  const n = DEFAULT_STATS_SCHEDULE.probe;
  const probe = toTensors(encode({ ...t, n, x: t.x.subarray(0, n * 64), y: t.y.subarray(0, n) }, spec.model.input, 10));
  const val = toTensors(encode(v, spec.model.input, 10));
  const collector = new StatsCollector(spec, model, probe, val);
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const t0 = performance.now();
    collector.collect(i, i, 'epoch');
    times.push(performance.now() - t0);
  }
  tf.dispose([probe.x, probe.y, val.x, val.y]);
  model.dispose();
  return median(times.slice(2));
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

async function main(): Promise<void> {
  await run(off); // warm-up: backend start, kernels, data load
  const withStats: number[] = [];
  const without: number[] = [];
  const epochs: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const o = await run(off);
    without.push(o.rate);
    epochs.push(o.epochMs);
    withStats.push((await run(base)).rate);
  }
  const a = median(withStats);
  const b = median(without);
  const c = await collectMs();
  const e = median(epochs);
  console.log(`digits-cnn (15 epochs, wasm), whole run: default schedule ${a.toFixed(0)} samples/s, statistics off ${b.toFixed(0)} samples/s -> ${(((b - a) / b) * 100).toFixed(1)}% (median of ${REPEATS})`);
  console.log(`one collection ${c.toFixed(1)} ms vs one epoch ${e.toFixed(0)} ms -> default schedule costs ${((16 * c) / (15 * e) * 100).toFixed(1)}% of training time (goal < 5%)`);
}

void main();
