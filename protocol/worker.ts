// Host <-> training worker messages. Validated on arrival by core/protocol/validateWorker.ts.
import type { BatchPoint, EpochPoint, RunInfo, RunSummary } from './run';

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
}

export type HostToWorker = StartRequest | { type: 'stop' };

export type WorkerToHost =
  | { type: 'started'; info: RunInfo }
  | { type: 'progress'; batches: BatchPoint[]; epochs: EpochPoint[] }
  | { type: 'log'; level: 'info' | 'warn'; message: string }
  | { type: 'done'; summary: RunSummary }
  | { type: 'error'; message: string; stack?: string };
