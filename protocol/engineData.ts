// Host <-> data-writing thread: the PyTorch engine's data files (data.json + data.bin) are loaded and
// written off the extension host's thread (worker/engineData.ts), so a big data set does not freeze
// the editor, and so are the run's initial weights (drawn by the tfjs engine's code, so the same file
// and seed start from the same weights on both engines). The thread parses the model file itself.
import { isNumber, isObject, isString, optional, shape } from './guards';

export interface EngineDataRequest {
  source: string;
  modelFile: string;
  datasetsDir: string;
  dataDir: string;
  /** tfjs's .wasm files (dist/wasm): the initial weights are drawn on the wasm backend, as a tfjs run's. */
  wasmDir: string;
  /** The run's train.seed: a file without a seed gets a random one at each parse, and the thread's must be the run's. */
  seed: number;
}

export type EngineDataReply =
  /** file: data.json; weightsFile: the initial weights' weights.json. */
  | { ok: true; file: string; weightsFile: string }
  /** detail and key: a data error placed in the model file (engine/data/loadTraining.ts DataLoadError). */
  | { ok: false; message: string; detail?: string; key?: string };

export const isEngineDataRequest = shape<EngineDataRequest>({ source: isString, modelFile: isString, datasetsDir: isString, dataDir: isString, wasmDir: isString, seed: isNumber });

export function asEngineDataReply(v: unknown): EngineDataReply | undefined {
  if (!isObject(v)) return undefined;
  if (v.ok === true) return isString(v.file) && isString(v.weightsFile) ? { ok: true, file: v.file, weightsFile: v.weightsFile } : undefined;
  if (v.ok !== false || !isString(v.message) || !optional(isString)(v.detail) || !optional(isString)(v.key)) return undefined;
  return { ok: false, message: v.message, ...(isString(v.detail) ? { detail: v.detail } : {}), ...(isString(v.key) ? { key: v.key } : {}) };
}
