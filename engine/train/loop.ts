// The training loop: seeded shuffles, one optimizer step per batch, Keras-style running metrics,
// a validation pass per epoch, cancellation between batches, and no tensor left behind.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from '../../protocol/run';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import { splitDataset, type Dataset } from '../data/dataset';
import { makeAugmenter } from '../data/augment';
import { loadTrainingData, DataLoadError } from '../data/loadTraining';
import { dataDiagnostic } from '../data/dataDiagnostic';
import type { ModelSpec } from '../../model/language/model';
import type { CancellationToken } from '../../common/cancellation';
import { deriveSeed, makeRng, shuffleInPlace } from '../../common/random';
import { pickBackend, useBackend, type BackendChoice } from './backend';
import { buildModel } from './buildModel';
import { penaltyValue, withPenalty } from './regularization';
import { correctCount, lossFn } from './losses';
import { makeOptimizer } from './optimizer';
import { setOptimizerLearningRate } from './optimizerRules';
import type { LoopContext, TrainingHook } from './hooks';
import { standardHooks } from './standardHooks';
import { BatchAssembler, encode, toTensors, type TensorPair } from './tensors';
import { DataParallel } from './parallel/dataParallel';
import { chooseWorkers } from './parallel/workerCount';

export interface TrainingSink {
  started(info: RunInfo): void;
  batch(point: BatchPoint): void;
  epoch(point: EpochPoint): void;
  log(level: 'info' | 'warn', message: string): void;
  /** Statistics of the inside of the network (engine/stats/), when the sink wants them. */
  stats?(record: StatsRecord): void;
  /** The current training diagnostics (the whole list each time it changes). */
  diagnostics?(list: TrainingDiagnostic[]): void;
}

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
  /** Statistics, schedules, callbacks: called in order at each point of the loop (engine/train/hooks.ts). */
  hooks?: TrainingHook[];
  /** The run's record folder, where checkpoints go (none: checkpoints are not written). */
  runDir?: string;
  /** false: do not save the trained model into <runDir>/model/ when training ends (engine/export/finalModel.ts). */
  exportModel?: boolean;
  /** Builds the network instead of buildModel(spec): a JavaScript model file's own model(tf) (worker/jsModel.ts). */
  buildModel?: (spec: ModelSpec) => ReturnType<typeof buildModel>;
}

const VAL_CHUNK = 1024;

export async function train(spec: ModelSpec, opts: TrainOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const { train: trainSet, val: valSet } = opts.data ? splitDataset(opts.data, spec.data.validationSplit) : loadData(spec, opts);
  const loss = lossFn(spec.train.loss);
  const wantAcc = spec.train.metrics.includes('accuracy');
  let { backend, note } = pickBackend(spec, opts.backend);
  await useBackend(backend, opts.wasmDir);
  const build = opts.buildModel ?? buildModel;
  let model = build(spec);
  const units = model.outputs[0]?.shape[1] ?? 1;
  const trainT = encode(trainSet, spec.model.input, units as number);
  const batches = new BatchAssembler(trainT, makeAugmenter(spec.data.augment, spec.model.input, deriveSeed(spec.train.seed, 11)));
  if (backend === 'wasm') {
    // One gradient on two examples finds a kernel the wasm backend lacks before anything is shown.
    const missing = missingKernel(() => probeStep(model, loss, batches, trainT.n));
    if (missing) {
      if (opts.backend === 'wasm') {
        model.dispose();
        throw new Error(`The wasm backend has no ${missing} kernel, which this model needs to train; use the cpu backend (modelLab.backend: cpu, or --backend cpu).`);
      }
      model.dispose();
      backend = 'cpu';
      note = `cpu: the wasm backend has no ${missing} kernel, which this model needs`;
      await useBackend(backend, opts.wasmDir);
      model = build(spec);
    }
  }
  const valT = valSet.n > 0 ? toTensors(encode(valSet, spec.model.input, units as number)) : undefined;
  const optimizer = makeOptimizer(spec.train, backend);
  const { batchSize, epochs } = spec.train;
  const batchesPerEpoch = Math.ceil(trainT.n / batchSize);
  const workers = chooseWorkers(spec, trainT.n, backend, { customModel: opts.buildModel !== undefined });
  const info: RunInfo = {
    id: opts.runId, name: spec.name, modelFile: opts.modelFile, startedAt: new Date(t0).toISOString(),
    epochs, batchSize, batchesPerEpoch, trainSamples: trainT.n, valSamples: valT?.n ?? 0,
    backend, metrics: ['loss', ...spec.train.metrics], dataset: spec.data.dataset, seed: spec.train.seed,
    totalParams: model.countParams(), workers: workers.workers, ...(note ? { backendNote: note } : {}),
  };
  opts.sink.started(info);
  if (note) opts.sink.log('info', `Training on the ${note}.`);
  const hooks = [...standardHooks(spec, opts), ...(opts.hooks ?? [])];
  const ctx: LoopContext = {
    spec, model, optimizer, info, sink: opts.sink, ...(valT ? { val: valT } : {}), trainData: trainT, step: 0, epoch: 0, learningRate: spec.train.learningRate,
  };

  const shuffleRng = makeRng(deriveSeed(spec.train.seed, 7));
  const order = Int32Array.from({ length: trainT.n }, (_, i) => i);
  let step = 0;
  let appliedLr = spec.train.learningRate; // what the optimizer was last given (schedules change ctx.learningRate)
  let epochsDone = 0;
  let last: EpochPoint | undefined;
  let lastYield = Date.now();
  let failure: string | undefined;
  let parallel: DataParallel | undefined;
  try {
    // Two workers: this thread and a second one each take half of every batch (engine/train/parallel).
    if (workers.workers === 2) {
      parallel = await DataParallel.start({ spec, model, optimizer, loss, wantAcc, set: trainT, batches, wasmDir: opts.wasmDir });
      opts.sink.log('info', `Training on ${workers.reason}.`);
    }
    for (const h of hooks) await h.begin?.(ctx);
    for (let epoch = 1; epoch <= epochs && !opts.token.isCancellationRequested && !failure && !ctx.stopReason; epoch++) {
      ctx.epoch = epoch;
      shuffleInPlace(order, shuffleRng);
      const epochStart = Date.now();
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let b = 0; b < batchesPerEpoch; b++) {
        const idx = order.subarray(b * batchSize, Math.min((b + 1) * batchSize, trainT.n));
        ctx.step = step;
        for (const h of hooks) h.beforeBatch?.(ctx);
        if (ctx.learningRate !== appliedLr) setOptimizerLearningRate(optimizer, (appliedLr = ctx.learningRate));
        const [batchLoss, batchAcc] = parallel ? parallel.step(idx) : trainStep(model, optimizer, loss, batches, idx, wantAcc, ctx.tapGradients);
        ctx.tapGradients = undefined;
        step++;
        ctx.step = step;
        if (!Number.isFinite(batchLoss)) {
          ctx.nonFiniteLoss = { epoch, batch: b + 1, loss: batchLoss };
          failure = `The loss became ${batchLoss} at epoch ${epoch}, batch ${b + 1}: the learning rate (${ctx.learningRate}) is probably too high for this model.`;
          break;
        }
        lossSum += batchLoss * idx.length;
        accSum += (batchAcc ?? 0) * idx.length;
        seen += idx.length;
        const point: BatchPoint = { step, epoch, x: epoch - 1 + (b + 1) / batchesPerEpoch, loss: batchLoss, learningRate: ctx.learningRate, ...(wantAcc ? { accuracy: batchAcc } : {}) };
        for (const h of hooks) h.afterBatch?.(ctx, point);
        opts.sink.batch(point);
        if (opts.token.isCancellationRequested) break;
        if (Date.now() - lastYield >= (opts.yieldEveryMs ?? 20)) {
          await new Promise((r) => setImmediate(r));
          lastYield = Date.now();
        }
      }
      if (failure || seen < trainT.n) break; // stopped mid-epoch: no epoch point for a partial epoch
      const trainMs = Date.now() - epochStart;
      const v = valT ? evaluate(model, loss, valT, wantAcc, ctx.tapValidation) : undefined;
      ctx.tapValidation = undefined;
      last = {
        epoch, loss: lossSum / seen, learningRate: ctx.learningRate,
        samplesPerSec: (seen * 1000) / Math.max(1, trainMs), elapsedMs: Date.now() - t0,
        ...(wantAcc ? { accuracy: accSum / seen } : {}),
        ...(v ? { valLoss: v.loss, ...(wantAcc ? { valAccuracy: v.accuracy } : {}) } : {}),
      };
      epochsDone = epoch;
      for (const h of hooks) await h.afterEpoch?.(ctx, last);
      opts.sink.epoch(last);
      if (ctx.stopReason) opts.sink.log('info', ctx.stopReason);
    }
  } finally {
    await parallel?.dispose();
    for (const h of hooks) await h.end?.(ctx);
    if (valT) tf.dispose([valT.x, valT.y]);
    optimizer.dispose();
    model.dispose();
  }
  // A hook that ends training early (early stopping) completes the run; only the user stops it.
  const status = failure ? 'failed' : opts.token.isCancellationRequested && epochsDone < epochs ? 'stopped' : 'completed';
  return {
    status, endedAt: new Date().toISOString(), durationMs: Date.now() - t0, epochsDone,
    ...(last ? { final: last } : {}), ...(failure ? { error: failure } : {}),
  };
}

/** The name of the kernel a step needs and the current backend lacks, if that is why it throws. */
function missingKernel(step: () => void): string | undefined {
  try {
    step();
    return undefined;
  } catch (e) {
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error).message ?? '');
    if (m) return m[1];
    throw e;
  }
}

function probeStep(model: ReturnType<typeof buildModel>, loss: ReturnType<typeof lossFn>, batches: BatchAssembler, n: number): void {
  tf.tidy(() => {
    const { x, y } = batches.batch(Int32Array.from({ length: Math.min(2, n) }, (_, i) => i));
    const { value, grads } = tf.variableGrads(() => loss(y, model.apply(x, { training: true }) as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);
  });
}

function trainStep(
  model: ReturnType<typeof buildModel>, optimizer: tf.Optimizer, loss: ReturnType<typeof lossFn>,
  batches: BatchAssembler, idx: Int32Array, wantAcc: boolean, tapGradients?: (grads: tf.NamedTensorMap) => void,
): [number, number | undefined] {
  let acc: tf.Scalar | undefined;
  const cost = tf.tidy(() => {
    const { x: xb, y: yb } = batches.batch(idx);
    const objective = (): tf.Scalar => {
      const p = model.apply(xb, { training: true }) as tf.Tensor;
      if (wantAcc) acc = tf.keep(correctCount(yb, p));
      return withPenalty(model, loss(yb, p)); // reported with the weight penalties, as Keras does
    };
    if (!tapGradients) return optimizer.minimize(objective, true) as tf.Scalar;
    // minimize() in its two halves, with a hook's look at the gradients in between.
    const { value, grads } = optimizer.computeGradients(objective);
    tapGradients(grads);
    optimizer.applyGradients(grads);
    return value;
  });
  const lossValue = cost.dataSync()[0] as number;
  const accValue = acc ? (acc.dataSync()[0] as number) / idx.length : undefined;
  tf.dispose([cost, ...(acc ? [acc] : [])]);
  return [lossValue, accValue];
}

function evaluate(
  model: ReturnType<typeof buildModel>, loss: ReturnType<typeof lossFn>, data: TensorPair, wantAcc: boolean, tap?: (y: tf.Tensor, p: tf.Tensor) => void,
): { loss: number; accuracy: number } {
  let lossSum = 0;
  let accSum = 0;
  for (let start = 0; start < data.n; start += VAL_CHUNK) {
    const size = Math.min(VAL_CHUNK, data.n - start);
    const [l, a] = tf.tidy(() => {
      const xb = tf.slice(data.x, start, size);
      const yb = tf.slice(data.y, start, size);
      const p = model.apply(xb, { training: false }) as tf.Tensor;
      tap?.(yb, p);
      return [loss(yb, p), wantAcc ? correctCount(yb, p) : tf.scalar(0)];
    }) as [tf.Scalar, tf.Scalar];
    lossSum += (l.dataSync()[0] as number) * size;
    accSum += a.dataSync()[0] as number;
    tf.dispose([l, a]);
  }
  return { loss: lossSum / data.n + penaltyValue(model), accuracy: accSum / data.n };
}

/** Loads the data; a problem in it also becomes a diagnostic on its `data` key in the Problems panel. */
function loadData(spec: ModelSpec, opts: TrainOptions): ReturnType<typeof loadTrainingData> {
  try {
    return loadTrainingData(spec, opts);
  } catch (e) {
    if (e instanceof DataLoadError) opts.sink.diagnostics?.([dataDiagnostic(spec, e.detail, e.key)]);
    throw e;
  }
}
