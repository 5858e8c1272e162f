// Writes a PyTorch run's data files and initial weights on a thread of their own (worker/engineData.ts,
// dist/engineData.js): loading a big data set or drawing a big model's weights takes seconds the editor
// must not freeze for. Resolves with the files' paths; rejects with a DataLoadError (placed on its data
// line) or an Error.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { asEngineDataReply, type EngineDataRequest } from '../../protocol/engineData';
import { DataLoadError } from '../../engine/data/loadTraining';
import type { EngineFiles } from './engineFiles';

export function writeEngineDataOffThread(request: EngineDataRequest, createWorker: () => Worker): Promise<EngineFiles> {
  return new Promise((resolve, reject) => {
    const worker = createWorker();
    let settled = false;
    const settle = (f: () => void): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      f();
    };
    worker.once('message', (raw: unknown) => {
      const reply = asEngineDataReply(raw);
      if (!reply) settle(() => reject(new Error('The data thread answered with something invalid.')));
      else if (reply.ok) settle(() => resolve({ dataFile: reply.file, weightsFile: reply.weightsFile }));
      else settle(() => reject(reply.detail !== undefined ? new DataLoadError(reply.message, reply.detail, reply.key) : new Error(reply.message)));
    });
    worker.once('error', (e) => settle(() => reject(new Error(`The data thread failed: ${e.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`The data thread stopped (code ${code}) before it wrote the data and initial weights.`))));
    worker.postMessage(request);
  });
}

/** The extension's writer of a run's files: dist/engineData.js on a thread of its own, per request. */
export function engineFilesWriter(extensionPath: string, request: EngineDataRequest): () => Promise<EngineFiles> {
  const workerFile = join(extensionPath, 'dist', 'engineData.js');
  return () => writeEngineDataOffThread(request, () => new Worker(workerFile));
}
