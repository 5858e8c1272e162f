// One training run as the extension host sees it: its worker, its full history (the host keeps
// everything; panels get snapshots and increments), and its run record on disk.
import { Worker } from 'node:worker_threads';
import * as vscode from 'vscode';
import type { HostToWebview } from '../protocol/webview';
import type { HostToWorker, WorkerToHost } from '../protocol/worker';
import type { RunInfo, RunSnapshot, RunSummary } from '../protocol/run';
import { asWorkerToHost } from '../core/protocol/validateWorker';
import type { RunRecorder } from '../core/runs/runStore';
import { assertNever } from '../core/util/assertNever';

export interface RunStart {
  info: RunInfo;
  source: string;
  extensionPath: string;
  backend: 'auto' | 'wasm' | 'cpu';
  recorder?: RunRecorder;
  log: vscode.LogOutputChannel;
}

/** How long Stop waits for the worker to finish its batch before terminating it. */
const STOP_GRACE_MS = 800;

export class TrainingRun implements vscode.Disposable {
  readonly snapshot: RunSnapshot;
  private readonly worker: Worker;
  private readonly emitter = new vscode.EventEmitter<HostToWebview>();
  /** Increments and status changes, for panels and the status bar. */
  readonly onDidUpdate = this.emitter.event;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;

  constructor(private readonly start: RunStart) {
    this.snapshot = { info: start.info, status: 'starting', batches: [], epochs: [], ...(start.recorder ? { runDir: start.recorder.dir } : {}) };
    start.recorder?.writeModel(start.source, start.info.modelFile);
    this.worker = new Worker(vscode.Uri.joinPath(vscode.Uri.file(start.extensionPath), 'dist', 'worker.js').fsPath, {
      // A model too big for memory fails in its worker, not in the extension host.
      resourceLimits: { maxOldGenerationSizeMb: 4096 },
      stdout: true,
      stderr: true,
    });
    this.worker.stdout.on('data', (d: Buffer) => start.log.info(`[worker ${start.info.id}] ${d.toString().trimEnd()}`));
    this.worker.stderr.on('data', (d: Buffer) => start.log.warn(`[worker ${start.info.id}] ${d.toString().trimEnd()}`));
    this.worker.on('message', (raw: unknown) => {
      const msg = asWorkerToHost(raw);
      if (msg) this.handle(msg);
      else start.log.warn(`Dropped a malformed message from the worker: ${String(JSON.stringify(raw)).slice(0, 300)}`);
    });
    this.worker.on('error', (e) => this.finish({ status: 'failed', error: `The training worker crashed: ${e.message}` }));
    this.worker.on('exit', (code) => this.finish(code === 0 || this.stopTimer ? { status: 'stopped' } : { status: 'failed', error: `The training worker exited unexpectedly (code ${code}).` }));
    this.post({ type: 'start', runId: start.info.id, source: start.source, modelFile: start.info.modelFile, assetsDir: start.extensionPath, backend: start.backend });
  }

  get id(): string {
    return this.snapshot.info.id;
  }

  get active(): boolean {
    return !this.finished;
  }

  stop(): void {
    if (this.finished || this.stopTimer) return;
    this.post({ type: 'stop' });
    this.stopTimer = setTimeout(() => void this.worker.terminate(), STOP_GRACE_MS);
  }

  private post(m: HostToWorker): void {
    this.worker.postMessage(m);
  }

  private handle(msg: WorkerToHost): void {
    const s = this.snapshot;
    switch (msg.type) {
      case 'started':
        Object.assign(s.info, msg.info, { id: s.info.id, modelFile: s.info.modelFile });
        s.status = 'running';
        this.start.recorder?.writeInfo(s.info);
        this.emitter.fire({ type: 'snapshot', run: s });
        return;
      case 'progress':
        s.batches.push(...msg.batches);
        s.epochs.push(...msg.epochs);
        this.start.recorder?.append(msg.batches, msg.epochs);
        this.emitter.fire({ type: 'append', runId: s.info.id, batches: msg.batches, epochs: msg.epochs });
        return;
      case 'log':
        this.start.log[msg.level](`[${s.info.name}] ${msg.message}`);
        return;
      case 'done':
        this.finish(msg.summary);
        return;
      case 'error':
        this.start.log.error(`[${s.info.name}] ${msg.stack ?? msg.message}`);
        this.finish({ status: 'failed', error: msg.message });
        return;
      default:
        assertNever(msg, 'worker message');
    }
  }

  private finish(partial: Partial<RunSummary> & Pick<RunSummary, 'status'>): void {
    if (this.finished) return;
    this.finished = true;
    if (this.stopTimer) clearTimeout(this.stopTimer);
    const s = this.snapshot;
    const last = s.epochs[s.epochs.length - 1];
    const summary: RunSummary = {
      endedAt: new Date().toISOString(),
      durationMs: Date.now() - Date.parse(s.info.startedAt),
      epochsDone: last?.epoch ?? 0,
      ...(last ? { final: last } : {}),
      ...partial,
    };
    s.status = summary.status;
    s.summary = summary;
    this.start.recorder?.writeSummary(summary);
    this.emitter.fire({ type: 'status', runId: s.info.id, status: s.status, summary });
    void this.worker.terminate();
  }

  dispose(): void {
    this.stop();
    void this.worker.terminate();
    this.emitter.dispose();
  }
}
