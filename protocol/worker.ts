// Host <-> training worker messages, and the guards both ends validate them with (through
// protocol/channel.ts: a pick sent to a worker serving a finished run's maps is a request).
import { isBatchPoint, isEpochPoint, isRankRates, isRunInfo, isRunSummary, type BatchPoint, type EpochPoint, type RunInfo, type RunSummary } from './run';
import { isStatsRecord, isTrainingDiagnostic, type StatsRecord, type TrainingDiagnostic } from './stats';
import { isExamplePick, isPickedMapsReply, type ExamplePick, type PickedMapsReply } from './pickedMaps';
import { arrayOf, isBoolean, isNumber, isObject, isString, oneOf, optional, shape } from './guards';

export interface StartRequest {
  type: 'start';
  runId: string;
  /** The model file's text exactly as it ran; the worker parses it again (a worker trusts nothing). */
  source: string;
  /** Absolute path of the model file (for relative data paths and messages). */
  modelFile: string;
  /** Folder with the extension's shipped data sets and wasm binaries. */
  assetsDir: string;
  backend: 'auto' | 'wasm' | 'cpu';
  /** The run's record folder (checkpoints go there). */
  runDir?: string;
  /** Instead of training: a learning-rate range test (Model Lab: Find Learning Rate). */
  lrFinder?: LrFinderRequest;
  /** Train below the editor's CPU priority (setting modelLab.trainBelowEditorPriority; engine/train/threadPriority.ts). */
  lowerPriority?: boolean;
}

/** An exponential sweep of the learning rate from min to max over `steps` steps (Smith 2015, fastai's lr_find). */
export interface LrFinderRequest {
  minLearningRate: number;
  maxLearningRate: number;
  steps: number;
}

/** Instead of training: answer feature-map picks with a finished run's saved model (engine/stats/recordedMaps.ts). */
export interface ServeMapsRequest {
  type: 'serveMaps';
  runDir: string;
  source: string;
  modelFile: string;
  assetsDir: string;
  backend: 'auto' | 'wasm' | 'cpu';
}

export type HostToWorker = StartRequest | { type: 'stop' }
  /** Feature maps of every conv layer for this example (a training worker or a serveMaps one). */
  | { type: 'pickMaps'; pick: ExamplePick }
  | ServeMapsRequest;

export type WorkerToHost =
  | { type: 'started'; info: RunInfo }
  /** rankSamplesPerSec: one per process of a multi-process run (PyTorch engine), over this interval. */
  | { type: 'progress'; batches: BatchPoint[]; epochs: EpochPoint[]; rankSamplesPerSec?: number[] }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  /** One part of one statistics collection (common/stats/budget.ts keeps it under ~64 KB). */
  | { type: 'stats'; record: StatsRecord }
  /** The run's current training diagnostics, the whole list each time it changes. */
  | { type: 'diagnostics'; list: TrainingDiagnostic[] }
  /** The answer to a pickMaps, and again after every epoch for the last pick. */
  | { type: 'pickedMaps'; reply: PickedMapsReply }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string; stack?: string };

// Guards, on both ends.
const isLrFinder = shape<LrFinderRequest>({ minLearningRate: isNumber, maxLearningRate: isNumber, steps: isNumber });

const isStart = shape<Extract<HostToWorker, { type: 'start' }>>({
  type: oneOf('start'), runId: isString, source: isString, modelFile: isString, assetsDir: isString, backend: oneOf('auto', 'wasm', 'cpu'),
  runDir: optional(isString), lrFinder: optional(isLrFinder), lowerPriority: optional(isBoolean),
});

const isServeMaps = shape<Extract<HostToWorker, { type: 'serveMaps' }>>({
  type: oneOf('serveMaps'), runDir: isString, source: isString, modelFile: isString, assetsDir: isString, backend: oneOf('auto', 'wasm', 'cpu'),
});

export function asHostToWorker(v: unknown): HostToWorker | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'start') return isStart(v) ? v : undefined;
  if (v.type === 'stop') return { type: 'stop' };
  if (v.type === 'pickMaps') return isExamplePick(v.pick) ? { type: 'pickMaps', pick: { split: v.pick.split, index: v.pick.index } } : undefined;
  if (v.type === 'serveMaps') return isServeMaps(v) ? v : undefined;
  return undefined;
}

const workerGuards: { [K in WorkerToHost['type']]: (v: Record<string, unknown>) => boolean } = {
  started: (v) => isRunInfo(v.info),
  progress: (v) => arrayOf(isBatchPoint, 100_000)(v.batches) && arrayOf(isEpochPoint, 100_000)(v.epochs) && optional(isRankRates)(v.rankSamplesPerSec),
  log: (v) => oneOf('info', 'warn')(v.level) && isString(v.message),
  stats: (v) => isStatsRecord(v.record),
  diagnostics: (v) => arrayOf(isTrainingDiagnostic, 1000)(v.list),
  pickedMaps: (v) => isPickedMapsReply(v.reply),
  done: (v) => isRunSummary(v.summary),
  error: (v) => isString(v.message) && optional(isString)(v.stack),
};

export function asWorkerToHost(v: unknown): WorkerToHost | undefined {
  if (!isObject(v) || !isString(v.type) || !Object.hasOwn(workerGuards, v.type)) return undefined;
  return workerGuards[v.type as WorkerToHost['type']](v) ? (v as unknown as WorkerToHost) : undefined;
}
