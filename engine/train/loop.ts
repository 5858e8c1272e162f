// The training loop: seeded shuffles, one optimizer step per batch, Keras-style running metrics,
// a validation pass per epoch, cancellation between batches, and no tensor left behind. What watches
// or steers training (statistics, schedules, callbacks, the saved model) comes from the caller as
// hooks (engine/train/hooks.ts), usually standardHooks(spec) and then its own.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from '../../protocol/run';
import { splitDataset, type Dataset } from '../data/dataset';
import { makeAugmenter } from '../data/augment';
import { loadTrainingData, DataLoadError } from '../data/loadTraining';
import { dataDiagnostic } from '../data/dataDiagnostic';
import type { ModelSpec } from '../../model/language/model';
import type { CancellationToken } from '../../common/cancellation';
import { deriveSeed, makeRng, shuffleInPlace } from '../../common/random';
import { pickBackend, useBackend, wasmSimdNote, type BackendChoice } from './backend';
import { buildModel } from './buildModel';
import { lossFn, perExampleLossFn } from './losses';
import { makeOptimizer } from './optimizer';
import { setOptimizerLearningRate } from './optimizerRules';
import type { LoopContext, TrainingHook, TrainingSink } from './hooks';
import { BatchAssembler, encode, toTensors, type EncodedSet, type TensorPair } from './tensors';
import { changeStandardError, evaluate, missingKernel, probeStep, trainStep, type LossFn } from './trainStep';
import { DataParallel } from './parallel/dataParallel';
import { chooseWorkers, type WorkerChoice } from './parallel/workerCount';

export interface TrainOptions {
  runId: string;
  modelFile: string;
  datasetsDir: string;
  wasmDir: string;
  backend: BackendChoice;
  token: CancellationToken;
  sink: TrainingSink;
  /** Lets messages (stop!) in between batches; the worker and CLI pass setImmediate. */
  yieldEveryMs?: number;
  /** Data already in memory (benchmarks); otherwise the spec's data set is loaded. */
  data?: Dataset;
  /**
   * Statistics, schedules, callbacks, the saved model...: called in this order at each point of the
   * loop (engine/train/hooks.ts). Callers pass standardHooks(spec, ...) for what the model file asks
   * for, then their own; [] trains with none. One list per run: hooks keep the run's state.
   */
  hooks: readonly TrainingHook[];
  /** Builds the network instead of buildModel(spec): a JavaScript model file's own model(tf) (worker/jsModel.ts). */
  buildModel?: (spec: ModelSpec) => tfl.LayersModel;
}

export async function train(spec: ModelSpec, opts: TrainOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const sets = prepareData(spec, opts);
  const network = await prepareNetwork(spec, opts, sets);
  const run = startRun(spec, opts, network, t0);
  const outcome = await runEpochs(run);
  return finish(run, outcome);
}

type Sets = { train: Dataset; val: Dataset };

/** The training and validation sets: given (benchmarks) or loaded; a problem in the data also becomes
 *  a diagnostic on its `data` key in the Problems panel. */
function prepareData(spec: ModelSpec, opts: TrainOptions): Sets {
  if (opts.data) return splitDataset(opts.data, spec.data.validationSplit);
  try {
    return loadTrainingData(spec, opts);
  } catch (e) {
    if (e instanceof DataLoadError) opts.sink.diagnostics?.([dataDiagnostic(spec, e.detail, e.key)]);
    throw e;
  }
}

interface Network {
  backend: 'wasm' | 'cpu';
  /** Why the backend is not the one asked for, when it is not. */
  note: string | undefined;
  model: tfl.LayersModel;
  loss: LossFn;
  /** Each validation example's loss, for the standard error of the validation loss. */
  lossPerExample: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor1D;
  trainT: EncodedSet;
  batches: BatchAssembler;
  valT: TensorPair | undefined;
}

/** Starts the backend, builds the model and encodes the data; falls back to cpu when the wasm
 *  backend lacks a kernel this model needs (unless wasm was asked for by name). */
async function prepareNetwork(spec: ModelSpec, opts: TrainOptions, sets: Sets): Promise<Network> {
  const loss = lossFn(spec.train.loss);
  let { backend, note } = pickBackend(spec, opts.backend);
  await useBackend(backend, opts.wasmDir);
  const build = opts.buildModel ?? buildModel;
  let model = build(spec);
  const units = (model.outputs[0]?.shape[1] ?? 1) as number;
  const trainT = encode(sets.train, spec.model.input, units);
  const batches = new BatchAssembler(trainT, makeAugmenter(spec.data.augment, spec.model.input, deriveSeed(spec.train.seed, 11)));
  // One gradient on two examples finds a kernel the wasm backend lacks before anything is shown.
  const missing = backend === 'wasm' ? missingKernel(() => probeStep(model, loss, batches, trainT.n)) : undefined;
  if (missing) {
    model.dispose();
    if (opts.backend === 'wasm') {
      throw new Error(`The wasm backend has no ${missing} kernel, which this model needs to train; use the cpu backend (modelLab.backend: cpu, or --backend cpu).`);
    }
    backend = 'cpu';
    note = `cpu: the wasm backend has no ${missing} kernel, which this model needs`;
    await useBackend(backend, opts.wasmDir);
    model = build(spec);
  }
  const valT = sets.val.n > 0 ? toTensors(encode(sets.val, spec.model.input, units)) : undefined;
  return { backend, note, model, loss, lossPerExample: perExampleLossFn(spec.train.loss), trainT, batches, valT };
}

/** One run between its steps: what was built for it, and the loop's own counters. */
interface Run extends Network {
  spec: ModelSpec;
  opts: TrainOptions;
  t0: number;
  optimizer: tf.Optimizer;
  workers: WorkerChoice;
  wantAcc: boolean;
  batchesPerEpoch: number;
  ctx: LoopContext;
  /** Optimizer steps taken. */
  step: number;
  /** What the optimizer was last given (schedules change ctx.learningRate). */
  appliedLr: number;
  lastYield: number;
  /** The per-example validation losses of the epoch with the lowest validation loss so far. */
  bestValidation?: { loss: number; exampleLosses: Float32Array };
}

/** Makes the optimizer, tells the sink the run has started, and sets up what the hooks will see. */
function startRun(spec: ModelSpec, opts: TrainOptions, net: Network, t0: number): Run {
  const optimizer = makeOptimizer(spec.train, net.backend);
  const { batchSize, epochs } = spec.train;
  const batchesPerEpoch = Math.ceil(net.trainT.n / batchSize);
  const workers = chooseWorkers(spec, net.trainT.n, net.backend, { customModel: opts.buildModel !== undefined });
  const info: RunInfo = {
    id: opts.runId, name: spec.name, modelFile: opts.modelFile, startedAt: new Date(t0).toISOString(),
    epochs, batchSize, batchesPerEpoch, trainSamples: net.trainT.n, valSamples: net.valT?.n ?? 0,
    backend: net.backend, metrics: ['loss', ...spec.train.metrics], dataset: spec.data.dataset, seed: spec.train.seed,
    totalParams: net.model.countParams(), workers: workers.workers, ...(net.note ? { backendNote: net.note } : {}),
  };
  opts.sink.started(info);
  if (net.note) opts.sink.log('info', `Training on the ${net.note}.`);
  if (net.backend === 'wasm') opts.sink.log('info', `WebAssembly: ${wasmSimdNote()}.`);
  const ctx: LoopContext = {
    spec, model: net.model, optimizer, info, sink: opts.sink, ...(net.valT ? { val: net.valT } : {}), trainData: net.trainT,
    step: 0, epoch: 0, learningRate: spec.train.learningRate,
  };
  return {
    ...net, spec, opts, t0, optimizer, workers, wantAcc: spec.train.metrics.includes('accuracy'), batchesPerEpoch, ctx,
    step: 0, appliedLr: spec.train.learningRate, lastYield: Date.now(),
  };
}

interface Outcome {
  epochsDone: number;
  last?: EpochPoint;
  failure?: string;
}

/** The epochs, until the last, a stop, a failure or a hook's stopReason; releases the run's tensors at the end. */
async function runEpochs(run: Run): Promise<Outcome> {
  const { spec, opts, ctx } = run;
  const shuffleRng = makeRng(deriveSeed(spec.train.seed, 7));
  const order = Int32Array.from({ length: run.trainT.n }, (_, i) => i);
  const outcome: Outcome = { epochsDone: 0 };
  let parallel: DataParallel | undefined;
  try {
    parallel = await startParallel(run);
    for (const h of opts.hooks) await h.begin?.(ctx);
    for (let epoch = 1; epoch <= spec.train.epochs && !opts.token.isCancellationRequested && !outcome.failure && !ctx.stopReason; epoch++) {
      ctx.epoch = epoch;
      shuffleInPlace(order, shuffleRng);
      const epochStart = Date.now();
      const sums = await runBatches(run, epoch, order, parallel);
      if (sums.failure) outcome.failure = sums.failure;
      if (sums.failure || sums.seen < run.trainT.n) break; // stopped mid-epoch: no epoch point for a partial epoch
      outcome.last = await endEpoch(run, epoch, sums, Date.now() - epochStart);
      outcome.epochsDone = epoch;
    }
  } finally {
    await parallel?.dispose();
    for (const h of opts.hooks) await h.end?.(ctx);
    if (run.valT) tf.dispose([run.valT.x, run.valT.y]);
    run.optimizer.dispose();
    run.model.dispose();
  }
  return outcome;
}

/** With two workers, this thread and a second one each take half of every batch (engine/train/parallel). */
async function startParallel(run: Run): Promise<DataParallel | undefined> {
  if (run.workers.workers !== 2) return undefined;
  const { spec, model, optimizer, loss, wantAcc, trainT, batches, opts } = run;
  const parallel = await DataParallel.start({ spec, model, optimizer, loss, wantAcc, set: trainT, batches, wasmDir: opts.wasmDir });
  opts.sink.log('info', `Training on ${run.workers.reason}.`);
  return parallel;
}

interface EpochSums {
  lossSum: number;
  accSum: number;
  /** Examples stepped on: fewer than the training set when the run was stopped mid-epoch. */
  seen: number;
  failure?: string;
}

/** One epoch's optimizer steps in the shuffled order, with the hooks around each and a yield now and then. */
async function runBatches(run: Run, epoch: number, order: Int32Array, parallel: DataParallel | undefined): Promise<EpochSums> {
  const { spec, opts, ctx, wantAcc, batchesPerEpoch } = run;
  const { batchSize } = spec.train;
  const sums: EpochSums = { lossSum: 0, accSum: 0, seen: 0 };
  for (let b = 0; b < batchesPerEpoch; b++) {
    const idx = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, run.trainT.n));
    ctx.step = run.step;
    for (const h of opts.hooks) h.beforeBatch?.(ctx);
    if (ctx.learningRate !== run.appliedLr) setOptimizerLearningRate(run.optimizer, (run.appliedLr = ctx.learningRate));
    const [batchLoss, batchAcc] = parallel ? parallel.step(idx) : trainStep(run.model, run.optimizer, run.loss, run.batches, idx, wantAcc, ctx.tapGradients);
    ctx.tapGradients = undefined;
    ctx.step = ++run.step;
    if (!Number.isFinite(batchLoss)) {
      ctx.nonFiniteLoss = { epoch, batch: b + 1, loss: batchLoss };
      sums.failure = `The loss became ${batchLoss} at epoch ${epoch}, batch ${b + 1}: the learning rate (${ctx.learningRate}) is probably too high for this model.`;
      return sums;
    }
    sums.lossSum += batchLoss * idx.length;
    sums.accSum += (batchAcc ?? 0) * idx.length;
    sums.seen += idx.length;
    const point: BatchPoint = {
      step: run.step, epoch, x: epoch - 1 + (b + 1) / batchesPerEpoch, loss: batchLoss, learningRate: ctx.learningRate, ...(wantAcc ? { accuracy: batchAcc } : {}),
    };
    for (const h of opts.hooks) h.afterBatch?.(ctx, point);
    opts.sink.batch(point);
    if (opts.token.isCancellationRequested) break;
    if (Date.now() - run.lastYield >= (opts.yieldEveryMs ?? 20)) {
      await new Promise((r) => setImmediate(r));
      run.lastYield = Date.now();
    }
  }
  return sums;
}

/** The validation pass and the epoch's point, which the hooks see (and may add to) before the sink. */
async function endEpoch(run: Run, epoch: number, sums: EpochSums, trainMs: number): Promise<EpochPoint> {
  const { opts, ctx, wantAcc } = run;
  const v = run.valT ? evaluate(run.model, run.loss, run.valT, wantAcc, ctx.tapValidation, run.lossPerExample) : undefined;
  ctx.tapValidation = undefined;
  const point: EpochPoint = {
    epoch, loss: sums.lossSum / sums.seen, learningRate: ctx.learningRate,
    samplesPerSec: (sums.seen * 1000) / Math.max(1, trainMs), elapsedMs: Date.now() - run.t0,
    ...(wantAcc ? { accuracy: sums.accSum / sums.seen } : {}),
    ...(v ? { valLoss: v.loss, ...validationNoise(run, v), ...(wantAcc ? { valAccuracy: v.accuracy } : {}) } : {}),
  };
  for (const h of opts.hooks) await h.afterEpoch?.(ctx, point);
  opts.sink.epoch(point);
  if (ctx.stopReason) opts.sink.log('info', ctx.stopReason);
  return point;
}

/** The noise of this epoch's validation loss against the best so far (diagnose.ts, overfitting). */
function validationNoise(run: Run, v: { loss: number; exampleLosses?: Float32Array }): Pick<EpochPoint, 'valLossChangeSE'> {
  if (!v.exampleLosses || !Number.isFinite(v.loss)) return {};
  const best = run.bestValidation;
  const se = best ? changeStandardError(v.exampleLosses, best.exampleLosses) : 0;
  if (!best || v.loss < best.loss) run.bestValidation = { loss: v.loss, exampleLosses: v.exampleLosses };
  return Number.isFinite(se) ? { valLossChangeSE: se } : {};
}

/** The run's summary. A hook that ends training early (early stopping) completes the run; only the user stops it. */
function finish(run: Run, outcome: Outcome): RunSummary {
  const { failure, last, epochsDone } = outcome;
  const status = failure ? 'failed' : run.opts.token.isCancellationRequested && epochsDone < run.spec.train.epochs ? 'stopped' : 'completed';
  return {
    status, endedAt: new Date().toISOString(), durationMs: Date.now() - run.t0, epochsDone,
    ...(last ? { final: last } : {}), ...(failure ? { error: failure } : {}),
  };
}
