// `npm run bench:step [-- mlp|cnn [batch]]`: where the product's training time goes beyond the
// arithmetic, measured in one process so the gaps are differences, not guesses. On the wasm backend
// with Model Lab's kernels, for the benchmark models (bench/models/):
//   bare        a hand loop: fixed input tensors, optimizer.minimize, the loss read once at the end
//   bare+read   the same, reading the loss back every step
//   trainStep   the product's step (engine/train/trainStep.ts): the batch assembled from shuffled
//               rows, the loss (and accuracy, when asked for) read back
//   trainStep, tfjs-ops loss: the same with Keras' cross-entropy written in tfjs ops (as Model Lab
//               had it before engine/train/crossEntropy.ts), for what the fused loss saves
//   train()     the product's loop with standardHooks, as `npm run bench` runs it (training steps)
//   train() + metrics, validation, statistics: the loop as the MNIST example runs it; "whole epochs"
//               adds the validation pass, statistics and the epoch's hooks to the steps
// Time is this process's CPU time (process.cpuUsage), not the clock: other processes on a shared
// machine take the clock and, on a machine of hyperthreads, some of this process's CPU time too, so
// rounds of a few steps alternate the variants and each figure is the best round (one epoch of 20
// steps in the loop's case, trained for 16 epochs). Then tf.profile of
// one product step: kernels per step, time in kernels, and the time outside them per kernel call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { assetDirs } from '../engine/assets';
import type { Dataset } from '../engine/data/dataset';
import { parseModel } from '../model/language/parse';
import type { ModelSpec } from '../model/language/model';
import { simdInUse, useBackend } from '../engine/train/backend';
import { buildModel } from '../engine/train/buildModel';
import { makeOptimizer } from '../engine/train/optimizer';
import { lossFn } from '../engine/train/losses';
import { BatchAssembler, encode } from '../engine/train/tensors';
import { trainStep } from '../engine/train/trainStep';
import { train } from '../engine/train/loop';
import { standardHooks } from '../engine/train/standardHooks';
import type { TrainingHook } from '../engine/train/hooks';
import { neverCancelled } from '../common/cancellation';
import { makeRng, shuffleInPlace } from '../common/random';

const root = join(__dirname, '..');
/** Short blocks, many of them, alternating the variants: the fastest block of each is the least disturbed. */
const ROUNDS = 15;
const STEPS = 20;
const best = (xs: number[]): number => Math.max(...xs);

function spec(model: string, batch: number, extra: string): ModelSpec {
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8')
    .replace('batchSize: 64', `batchSize: ${batch}, workers: 1${extra}`);
  const parsed = parseModel(text, { checkData: false });
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
  return parsed.spec;
}

function randomData(shape: number[], n: number): Dataset {
  const rng = makeRng(1);
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: 'random', shape, classes: 10, task: 'multiclass', n,
    x: Float32Array.from({ length: n * size }, () => rng()), y: Float32Array.from({ length: n }, () => Math.floor(rng() * 10)),
  };
}

/** A model, its optimizer and a shuffled batch source, as the loop makes them. */
function setup(s: ModelSpec, data: Dataset) {
  const model = buildModel(s);
  const optimizer = makeOptimizer(s.train, 'wasm');
  const set = encode(data, s.model.input, 10);
  const batches = new BatchAssembler(set);
  const order = Int32Array.from({ length: data.n }, (_, i) => i);
  shuffleInPlace(order, makeRng(3));
  const xb = tf.tensor(set.x.subarray(0, s.train.batchSize * set.x.length / data.n), [s.train.batchSize, ...s.model.input]);
  const yb = tf.tensor2d(set.y.subarray(0, s.train.batchSize * 10), [s.train.batchSize, 10]);
  const dispose = () => {
    tf.dispose([xb, yb]);
    optimizer.dispose();
    model.dispose();
  };
  return { model, optimizer, batches, order, xb, yb, loss: lossFn(s.train.loss), dispose };
}
type Setup = ReturnType<typeof setup>;

/** This process's CPU time in ms. */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Samples per CPU second of `STEPS` calls of `step`, after a few untimed ones. */
function rate(batch: number, step: (i: number) => void): number {
  for (let i = 0; i < 3; i++) step(i);
  const t0 = cpuMs();
  for (let i = 0; i < STEPS; i++) step(i);
  return (batch * STEPS * 1000) / (cpuMs() - t0);
}

const bareStep = (u: Setup, read: boolean) => (): void => {
  const cost = tf.tidy(() => u.optimizer.minimize(() => u.loss(u.yb, u.model.apply(u.xb, { training: true }) as tf.Tensor), true) as tf.Scalar);
  if (read) cost.dataSync();
  cost.dispose();
};
const productStep = (u: Setup, batch: number, acc: boolean, loss = u.loss) => (i: number): void => {
  const from = (i * batch) % (u.order.length - batch + 1);
  trainStep(u.model, u.optimizer, loss, u.batches, u.order.subarray(from, from + batch), acc);
};

/** Keras' categorical cross-entropy in tfjs ops: 8 kernels forward, 40 backward. */
const opsCrossEntropy = (y: tf.Tensor, p: tf.Tensor): tf.Scalar => {
  const q = tf.clipByValue(tf.div(p, tf.sum(p, -1, true)), 1e-7, 1 - 1e-7);
  return tf.neg<tf.Scalar>(tf.mean<tf.Scalar>(tf.sum(tf.mul(y, tf.log(q)), -1)));
};

/**
 * The product's loop, in samples per CPU second: its steps (a last hook times each epoch's batches,
 * from before the first to after the last, as the epoch's samplesPerSec does with the clock) and whole
 * epochs (epoch end to epoch end: the validation pass, statistics and the epoch hooks too).
 */
async function loopRate(spec: ModelSpec, data: Dataset): Promise<{ steps: number[]; wall: number[] }> {
  const s: ModelSpec = { ...spec, train: { ...spec.train, epochs: ROUNDS + 1 } };
  const stepRates: number[] = [];
  const epochRates: number[] = [];
  let trainN = 0;
  let epochStart = NaN;
  let lastEpochEnd = NaN;
  const timer: TrainingHook = {
    beforeBatch: (ctx) => { if (ctx.step % ctx.info.batchesPerEpoch === 0) epochStart = cpuMs(); },
    afterBatch: (ctx, point) => { if (point.step % ctx.info.batchesPerEpoch === 0) stepRates.push((trainN * 1000) / (cpuMs() - epochStart)); },
  };
  await train(s, {
    runId: 'profile', modelFile: '', ...assetDirs(root), backend: 'wasm', token: neverCancelled, data, hooks: [...standardHooks(s), timer],
    sink: {
      started: (i) => void (trainN = i.trainSamples), batch: () => {}, log: () => {},
      epoch: () => {
        const now = cpuMs();
        if (!Number.isNaN(lastEpochEnd)) epochRates.push((trainN * 1000) / (now - lastEpochEnd));
        lastEpochEnd = now;
      },
    },
  });
  return { steps: stepRates.slice(1), wall: epochRates };
}

async function profileModel(model: string, batch: number): Promise<void> {
  const plain = spec(model, batch, '');
  const data = randomData(plain.model.input, batch * STEPS);
  const example = spec(model, batch, ', metrics: [accuracy]').train;
  const asExample: ModelSpec = { ...plain, train: example, data: { ...plain.data, validationSplit: 0.2 } };
  const u = setup(plain, data);
  const tensorsBefore = tf.memory().numTensors;
  for (let i = 0; i < 15; i++) { bareStep(u, true)(); productStep(u, batch, false)(i); } // warm-up: XNNPACK operators, V8 tiers
  const results: Record<string, number[]> = { bare: [], 'bare+read': [], trainStep: [], 'trainStep, tfjs-ops loss': [], 'trainStep+accuracy': [], 'train()': [], 'train() +metrics,val,stats: steps': [], 'whole epochs': [] };
  for (let r = 0; r < ROUNDS; r++) {
    results.bare!.push(rate(batch, bareStep(u, false)));
    results['bare+read']!.push(rate(batch, bareStep(u, true)));
    results.trainStep!.push(rate(batch, productStep(u, batch, false)));
    results['trainStep, tfjs-ops loss']!.push(rate(batch, productStep(u, batch, false, opsCrossEntropy)));
    results['trainStep+accuracy']!.push(rate(batch, productStep(u, batch, true)));
  }
  results['train()'] = (await loopRate(plain, data)).steps;
  const full = await loopRate(asExample, randomData(plain.model.input, Math.ceil((batch * STEPS) / 0.8)));
  results['train() +metrics,val,stats: steps'] = full.steps;
  results['whole epochs'] = full.wall;
  const bare = best(results.bare!);
  console.log(`\n${model.toUpperCase()} batch ${batch} (SIMD module ${simdInUse() ? 'in use' : 'MISSING: npm run build'}), samples per CPU second, best of ${ROUNDS} rounds:`);
  for (const [name, xs] of Object.entries(results)) {
    const v = best(xs);
    console.log(`  ${name.padEnd(36)}${Math.round(v).toLocaleString('en-US').padStart(9)}  ${((batch * 1000) / v).toFixed(3).padStart(7)} ms/step  ${(v / bare).toFixed(2)}x bare`);
  }

  // One product step under tf.profile: which kernels, how long in them, how long around them.
  // Wall clock on both sides here (tf.profile times kernels by the clock): the step as profiled, and its kernels.
  const profiled = { kernels: 0, inKernels: 0, wall: 0, byKernel: new Map<string, number>() };
  const P = 20;
  for (let i = 0; i < P; i++) {
    const p = await tf.profile(() => {
      const t0 = performance.now();
      productStep(u, batch, false)(i);
      profiled.wall += performance.now() - t0;
    });
    profiled.kernels += p.kernels.length;
    for (const k of p.kernels) {
      profiled.inKernels += Number(k.kernelTimeMs);
      profiled.byKernel.set(k.name, (profiled.byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
    }
  }
  const stepMs = profiled.wall / P;
  const kernels = profiled.kernels / P;
  const inKernels = profiled.inKernels / P;
  console.log(`  one product step under tf.profile (clock): ${kernels.toFixed(0)} kernel calls, ${inKernels.toFixed(3)} ms in kernels of ${stepMs.toFixed(3)} ms; `
    + `outside them (tfjs's bookkeeping, our JS) ${(stepMs - inKernels).toFixed(3)} ms = ${(((stepMs - inKernels) * 1000) / kernels).toFixed(1)} us per call`);
  for (const [name, ms] of [...profiled.byKernel].sort((a, b) => b[1] - a[1]).slice(0, 8)) {
    console.log(`    ${name.padEnd(26)}${(ms / P).toFixed(3).padStart(7)} ms  ${((100 * ms) / profiled.inKernels).toFixed(1).padStart(5)}%`);
  }
  u.dispose();
  console.log(`  tensors: ${tensorsBefore} before the rounds, ${tf.memory().numTensors} after (the setup's own released)`);
}

async function main(): Promise<void> {
  await useBackend('wasm', assetDirs(root).wasmDir);
  const [model, batch] = process.argv.slice(2);
  const models = model ? [model] : ['mlp', 'cnn'];
  for (const m of models) await profileModel(m, Number(batch ?? 64));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
