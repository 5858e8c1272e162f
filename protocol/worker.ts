// Host <-> training worker messages. Validated on arrival by protocol/validate/validateWorker.ts.
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from './run';
import type { StatsRecord, TrainingDiagnostic } from './stats';
import type { ExamplePick, PickedMapsReply } from './pickedMaps';

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
  | { type: 'progress'; batches: BatchPoint[]; epochs: EpochPoint[] }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  /** One part of one statistics collection (common/stats/budget.ts keeps it under ~64 KB). */
  | { type: 'stats'; record: StatsRecord }
  /** The run's current training diagnostics, the whole list each time it changes. */
  | { type: 'diagnostics'; list: TrainingDiagnostic[] }
  /** The answer to a pickMaps, and again after every epoch for the last pick. */
  | { type: 'pickedMaps'; reply: PickedMapsReply }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string; stack?: string };
