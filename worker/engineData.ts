// The thread that writes a PyTorch run's data files (protocol/engineData.ts): one request, one reply.
import { parentPort } from 'node:worker_threads';
import { isEngineDataRequest, type EngineDataReply } from '../protocol/engineData';
import { parseModel } from '../model/language/parse';
import { DataLoadError } from '../engine/data/loadTraining';
import { writeEngineData } from '../host/engines/engineData';

parentPort?.once('message', (raw: unknown) => {
  parentPort?.postMessage(answer(raw));
});

function answer(raw: unknown): EngineDataReply {
  if (!isEngineDataRequest(raw)) return { ok: false, message: 'The data thread got a malformed request.' };
  const spec = parseModel(raw.source, { checkData: false }).spec;
  if (!spec) return { ok: false, message: 'The model file no longer parses.' };
  try {
    return { ok: true, file: writeEngineData(spec, { datasetsDir: raw.datasetsDir, modelFile: raw.modelFile }, raw.dataDir).file };
  } catch (e) {
    if (e instanceof DataLoadError) return { ok: false, message: e.message, detail: e.detail, ...(e.key !== undefined ? { key: e.key } : {}) };
    return { ok: false, message: `The data could not be written: ${(e as Error).message}` };
  }
}
