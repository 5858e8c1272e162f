// Shapes of a training run as they travel between worker, host, webview and the run record.
// Type-only: nothing here exists at run time.

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
}
