// Shapes of a training run as they travel between worker, host, webview and the run record, and
// their guards (shared by the worker, training panel and notebook boundaries).
import { arrayOf, isNumber, isNumeric, isString, oneOf, optional, shape } from './guards';

export type RunStatus = 'starting' | 'running' | 'completed' | 'stopped' | 'failed';

/** One optimizer step. `x` is the fractional epoch (epoch - 1 + (batch + 1) / batchesPerEpoch). */
export interface BatchPoint {
  step: number;
  epoch: number;
  x: number;
  loss: number;
  accuracy?: number;
  /** The learning rate this step used (schedules change it every step). */
  learningRate?: number;
  /** When the step ended (Date.now() in the worker); stamped only in a bench session (MODEL_LAB_BENCH). */
  endedAt?: number;
}

/** Metrics at the end of an epoch (1-based), Keras style: training values are running means over the epoch. */
export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy?: number;
  valLoss?: number;
  /** Standard error of the change in validation loss since the best epoch so far, from the
   *  per-example differences: the noise a rise must stand out of to mean overfitting. */
  valLossChangeSE?: number;
  valAccuracy?: number;
  /** Validation accuracy of the mean output over fixed crops and flips (data.testTimeAugmentation). */
  valAccuracyTTA?: number;
  learningRate: number;
  /** Validation accuracy of the averaged snapshots' predictions (snapshot ensembles), and how many. */
  ensembleValAccuracy?: number;
  ensembleSize?: number;
  /** Training samples per second over this epoch (steps only, not validation). */
  samplesPerSec: number;
  elapsedMs: number;
}

export interface RunInfo {
  id: string;
  name: string;
  /** Absolute path of the model file, or '' when trained from unsaved text. */
  modelFile: string;
  startedAt: string;
  epochs: number;
  batchSize: number;
  batchesPerEpoch: number;
  trainSamples: number;
  valSamples: number;
  backend: string;
  metrics: string[];
  dataset: string;
  seed: number;
  totalParams: number;
  /** Why the backend was chosen, e.g. "cpu: wasm lacks Conv2DBackpropFilter". */
  backendNote?: string;
  /** Worker threads training data-parallel (train.workers). */
  workers?: number;
  /** What trained it (absent: tfjs, as every run recorded before a second engine existed). */
  engine?: 'tfjs' | 'pytorch';
  /** Processes training data-parallel (the PyTorch engine's train.processes × train.nodes). */
  ranks?: number;
  /** The machine (host name) of each rank, by global rank, when several trained. */
  rankHosts?: string[];
}

export interface RunSummary {
  status: Exclude<RunStatus, 'starting' | 'running'>;
  endedAt: string;
  durationMs: number;
  epochsDone: number;
  final?: EpochPoint;
  error?: string;
}

/** Everything the host knows about a run: what a panel needs to draw it from scratch. */
export interface RunSnapshot {
  info: RunInfo;
  status: RunStatus;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  summary?: RunSummary;
  runDir?: string;
  /** Samples per second of each process over the last interval, when several train (PyTorch engine). */
  rankSamplesPerSec?: number[];
  /** What the run waits for before it can start (other machines to join), as plain text. */
  waiting?: string;
}

// Guards: what a message carrying these shapes must hold before anyone reads it.

export const isBatchPoint = shape<BatchPoint>({ step: isNumber, epoch: isNumber, x: isNumber, loss: isNumeric, accuracy: optional(isNumeric), learningRate: optional(isNumber), endedAt: optional(isNumber) });

export const isEpochPoint = shape<EpochPoint>({
  epoch: isNumber, loss: isNumeric, accuracy: optional(isNumeric), valLoss: optional(isNumeric), valLossChangeSE: optional(isNumeric), valAccuracy: optional(isNumeric), valAccuracyTTA: optional(isNumeric),
  learningRate: isNumber, ensembleValAccuracy: optional(isNumeric), ensembleSize: optional(isNumber), samplesPerSec: isNumber, elapsedMs: isNumber,
});

export const isRunStatus = oneOf<RunStatus>('starting', 'running', 'completed', 'stopped', 'failed');

export const isRunInfo = shape<RunInfo>({
  id: isString, name: isString, modelFile: isString, startedAt: isString, epochs: isNumber, batchSize: isNumber,
  batchesPerEpoch: isNumber, trainSamples: isNumber, valSamples: isNumber, backend: isString,
  metrics: arrayOf(isString, 64), dataset: isString, seed: isNumber, totalParams: isNumber, backendNote: optional(isString), workers: optional(isNumber),
  engine: optional(oneOf('tfjs', 'pytorch')), ranks: optional(isNumber), rankHosts: optional(arrayOf(isString, 4096)),
});

/** One throughput per process, bounded (a run has at most a few thousand ranks). */
export const isRankRates = arrayOf(isNumber, 4096);

export const isRunSummary = shape<RunSummary>({
  status: oneOf('completed', 'stopped', 'failed'), endedAt: isString, durationMs: isNumber, epochsDone: isNumber,
  final: optional(isEpochPoint), error: optional(isString),
});

export const isRunSnapshot = shape<RunSnapshot>({
  info: isRunInfo, status: isRunStatus, batches: arrayOf(isBatchPoint), epochs: arrayOf(isEpochPoint),
  summary: optional(isRunSummary), runDir: optional(isString), rankSamplesPerSec: optional(isRankRates), waiting: optional(isString),
});
