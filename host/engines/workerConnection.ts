// The tfjs engine: a worker thread running dist/worker.js, spoken to through the validating channel.
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { asWorkerToHost, type HostToWorker, type StartRequest, type WorkerToHost } from '../../protocol/worker';
import { Channel, eventPort } from '../../protocol/channel';
import { isOutOfMemory } from '../../engine/train/explainError';
import type { EngineConnection, EngineHandlers, EngineRequest } from './engineConnection';

export interface WorkerLaunch {
  extensionPath: string;
  start: StartRequest;
  /** The worker's JS heap limit (resourceLimits); the wasm heap is bounded by the backend itself. */
  memoryLimitMb?: number | undefined;
  log: { info(m: string): void; warn(m: string): void };
  /** Makes the worker (tests); by default dist/worker.js of the extension. */
  createWorker?: ((file: string, options: ConstructorParameters<typeof Worker>[1]) => Worker) | undefined;
}

export class WorkerConnection implements EngineConnection {
  readonly label = 'training worker';
  readonly stopGraceMs = 800;
  private readonly worker: Worker;
  private readonly channel: Channel<WorkerToHost, HostToWorker>;

  constructor(o: WorkerLaunch, h: EngineHandlers) {
    const limit = o.memoryLimitMb ?? 4096;
    const create = o.createWorker ?? ((file, options) => new Worker(file, options));
    this.worker = create(join(o.extensionPath, 'dist', 'worker.js'), {
      // A model too big for memory fails in its worker, not in the extension host.
      resourceLimits: { maxOldGenerationSizeMb: limit },
      stdout: true,
      stderr: true,
    });
    const id = o.start.runId;
    this.worker.stdout.on('data', (d: Buffer) => o.log.info(`[worker ${id}] ${d.toString().trimEnd()}`));
    this.worker.stderr.on('data', (d: Buffer) => o.log.warn(`[worker ${id}] ${d.toString().trimEnd()}`));
    this.channel = new Channel<WorkerToHost, HostToWorker>(eventPort(this.worker), asWorkerToHost, { onMalformed: (_raw, why) => h.onMalformed(why) });
    this.channel.onMessage((m) => h.onMessage(m));
    this.worker.on('error', (e) => h.onEnd({
      kind: 'crash',
      message: isOutOfMemory(`${(e as NodeJS.ErrnoException).code ?? ''} ${e.message}`)
        ? `The training worker ran out of memory (its limit is ${limit} MB) and was stopped: the model, its data or a batch is too big. (${e.message})`
        : `The training worker crashed: ${e.message}`,
    }));
    this.worker.on('exit', (code) => {
      this.channel.dispose();
      h.onEnd({ kind: 'exit', code });
    });
    this.channel.post(o.start);
  }

  send(request: EngineRequest): void {
    this.channel.post(request);
  }

  kill(): void {
    void this.worker.terminate();
  }
}
