// The thread that writes a PyTorch run's files (protocol/engineData.ts): its data and its initial
// weights, drawn by the tfjs engine on its wasm backend. One request, one reply.
import { parentPort } from 'node:worker_threads';
import { isEngineDataRequest, type EngineDataReply } from '../protocol/engineData';
import { parseModel } from '../model/language/parse';
import { DataLoadError } from '../engine/data/loadTraining';
import { writeEngineFiles } from '../host/engines/engineFiles';

parentPort?.once('message', (raw: unknown) => {
  void answer(raw).then((reply) => parentPort?.postMessage(reply));
});

async function answer(raw: unknown): Promise<EngineDataReply> {
  if (!isEngineDataRequest(raw)) return { ok: false, message: 'The data thread got a malformed request.' };
  const spec = parseModel(raw.source, { checkData: false, defaultSeed: raw.seed }).spec;
  if (!spec) return { ok: false, message: 'The model file no longer parses.' };
  try {
    const files = await writeEngineFiles(spec, { datasetsDir: raw.datasetsDir, modelFile: raw.modelFile }, raw.dataDir, raw.wasmDir);
    return { ok: true, file: files.dataFile, weightsFile: files.weightsFile };
  } catch (e) {
    if (e instanceof DataLoadError) return { ok: false, message: e.message, detail: e.detail, ...(e.key !== undefined ? { key: e.key } : {}) };
    return { ok: false, message: `The data or initial weights could not be written: ${(e as Error).message}` };
  }
}
