// Writes a PyTorch run's data files on a thread of their own (worker/engineData.ts, dist/engineData.js):
// loading a big data set takes seconds the editor must not freeze for. Resolves with data.json's
// path; rejects with a DataLoadError (placed on its data line) or an Error.
import type { Worker } from 'node:worker_threads';
import { asEngineDataReply, type EngineDataRequest } from '../../protocol/engineData';
import { DataLoadError } from '../../engine/data/loadTraining';

export function writeEngineDataOffThread(request: EngineDataRequest, createWorker: () => Worker): Promise<string> {
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
      else if (reply.ok) settle(() => resolve(reply.file));
      else settle(() => reject(reply.detail !== undefined ? new DataLoadError(reply.message, reply.detail, reply.key) : new Error(reply.message)));
    });
    worker.once('error', (e) => settle(() => reject(new Error(`The data thread failed: ${e.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`The data thread stopped (code ${code}) before it wrote the data.`))));
    worker.postMessage(request);
  });
}
