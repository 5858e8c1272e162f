// Host <-> data-writing thread: the PyTorch engine's data files (data.json + data.bin) are loaded and
// written off the extension host's thread (worker/engineData.ts), so a big data set does not freeze
// the editor. The thread parses the model file itself, as the training worker does.
import { isObject, isString, optional, shape } from './guards';

export interface EngineDataRequest {
  source: string;
  modelFile: string;
  datasetsDir: string;
  dataDir: string;
}

export type EngineDataReply =
  | { ok: true; file: string }
  /** detail and key: a data error placed in the model file (engine/data/loadTraining.ts DataLoadError). */
  | { ok: false; message: string; detail?: string; key?: string };

export const isEngineDataRequest = shape<EngineDataRequest>({ source: isString, modelFile: isString, datasetsDir: isString, dataDir: isString });

export function asEngineDataReply(v: unknown): EngineDataReply | undefined {
  if (!isObject(v)) return undefined;
  if (v.ok === true) return isString(v.file) ? { ok: true, file: v.file } : undefined;
  if (v.ok !== false || !isString(v.message) || !optional(isString)(v.detail) || !optional(isString)(v.key)) return undefined;
  return { ok: false, message: v.message, ...(isString(v.detail) ? { detail: v.detail } : {}), ...(isString(v.key) ? { key: v.key } : {}) };
}
