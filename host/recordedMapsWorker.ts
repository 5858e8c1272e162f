// Feature maps for a picked example of a run that has ended: a worker of its own (the training
// worker is gone) loads the run's saved model and data once and answers picks. It is ended after
// a while without picks, so a panel left open holds no worker. Free of the vscode API, like
// trainingRun.ts, so unit tests can drive it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import { type HostToWorker, asWorkerToHost } from '../protocol/worker';
import type { RunLog } from './trainingRun';

const IDLE_MS = 120_000;

export interface RecordedMapsStart {
  runDir: string;
  modelFile: string;
  extensionPath: string;
  backend: 'auto' | 'wasm' | 'cpu';
  log: RunLog;
  onReply: (reply: PickedMapsReply) => void;
  /** Makes the worker (tests); by default dist/worker.js of the extension. */
  createWorker?: (file: string) => Worker;
  idleMs?: number;
}

/** The model file text a run record keeps (model.yaml or model.json), if any. */
export function recordedSource(runDir: string): string | undefined {
  const file = ['model.yaml', 'model.json'].map((f) => join(runDir, f)).find(existsSync);
  try {
    return file ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export class RecordedMapsWorker {
  private worker: Worker | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;
  /** The pick asked for and not yet answered: told of a worker that dies instead of answering. */
  private pending: ExamplePick | undefined;

  constructor(private readonly start: RecordedMapsStart) {}

  request(pick: ExamplePick): void {
    const source = recordedSource(this.start.runDir);
    if (source === undefined) {
      this.start.onReply({ pick, error: `The run record ${this.start.runDir} has no model file to compute feature maps with.` });
      return;
    }
    const worker = this.worker ?? this.spawn(source);
    this.pending = pick;
    this.post(worker, { type: 'pickMaps', pick });
    this.armIdle();
  }

  private spawn(source: string): Worker {
    const s = this.start;
    const create = s.createWorker ?? ((file) => new Worker(file, { stdout: true, stderr: true }));
    const worker = create(join(s.extensionPath, 'dist', 'worker.js'));
    worker.stdout?.on('data', (d: Buffer) => s.log.info(`[feature maps] ${d.toString().trimEnd()}`));
    worker.stderr?.on('data', (d: Buffer) => s.log.warn(`[feature maps] ${d.toString().trimEnd()}`));
    worker.on('message', (raw: unknown) => {
      const msg = asWorkerToHost(raw);
      if (msg?.type === 'pickedMaps') {
        this.pending = undefined;
        s.onReply(msg.reply);
      }
      else if (msg?.type === 'log') s.log[msg.level](`[feature maps] ${msg.message}`);
      else s.log.warn(`Dropped a message from the feature-map worker: ${String(JSON.stringify(raw)).slice(0, 200)}`);
    });
    worker.on('error', (e) => s.log.warn(`The feature-map worker of ${s.runDir} failed: ${e.message}`));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return; // ended by dispose()
      this.worker = undefined;
      const pick = this.pending;
      this.pending = undefined;
      if (pick) s.onReply({ pick, error: `The worker computing feature maps stopped (exit code ${code}) before it answered.` });
    });
    this.post(worker, { type: 'serveMaps', runDir: s.runDir, source, modelFile: s.modelFile, assetsDir: s.extensionPath, backend: s.backend });
    this.worker = worker;
    return worker;
  }

  private post(worker: Worker, m: HostToWorker): void {
    worker.postMessage(m);
  }

  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.dispose(), this.start.idleMs ?? IDLE_MS);
    this.idle.unref?.();
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const w = this.worker;
    this.worker = undefined;
    this.pending = undefined;
    void w?.terminate();
  }
}
