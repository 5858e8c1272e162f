// One training run as the extension host sees it: its worker, its full history (the host keeps
// everything; panels get snapshots and increments), and its run record on disk. Free of the vscode
// API on purpose, so that unit tests can kill its worker and check what the user would be told.
import type { Worker } from 'node:worker_threads';
import type { HostToWebview } from '../protocol/webview';
import type { LrFinderRequest, WorkerToHost } from '../protocol/worker';
import type { RunInfo, RunSnapshot, RunSummary } from '../protocol/run';
import type { ExamplePick } from '../protocol/pickedMaps';
import type { RunRecorder } from '../engine/runs/runStore';
import { interruptedMessage } from '../engine/runs/interruptedRuns';
import { assertNever } from '../common/assertNever';
import type { EngineConnection, EngineEnd, EngineHandlers } from './engines/engineConnection';
import { WorkerConnection } from './engines/workerConnection';
import { RunInside } from './runInside';

export interface RunStart {
  info: RunInfo;
  source: string;
  extensionPath: string;
  backend: 'auto' | 'wasm' | 'cpu';
  recorder?: RunRecorder;
  log: RunLog;
  /** false: the run is shown elsewhere (a notebook cell), no training panel opens for it. */
  openPanel?: boolean;
  /** The worker's JS heap limit (resourceLimits); the wasm heap is bounded by the backend itself. */
  memoryLimitMb?: number;
  /** Train below the editor's CPU priority (engine/train/threadPriority.ts). */
  lowerPriority?: boolean;
  /** A worker silent this long is taken as hung and stopped (default 5 minutes: one batch of a big model on cpu can take minutes). */
  hangTimeoutMs?: number;
  /** A learning-rate range test instead of training (extension/lrFinder*.ts). */
  lrFinder?: LrFinderRequest;
  /** Makes the worker (tests); by default dist/worker.js of the extension. */
  createWorker?: (file: string, options: ConstructorParameters<typeof Worker>[1]) => Worker;
  /** Starts another engine than the tfjs worker (the PyTorch runner, host/engines/pytorchProcess.ts). */
  connect?: (handlers: EngineHandlers) => EngineConnection;
}

/** What a run logs to: the extension's LogOutputChannel satisfies it. */
export interface RunLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

type Listener<T> = (event: T) => void;

export class TrainingRun {
  readonly snapshot: RunSnapshot;
  /** Statistics and training diagnostics (the inside panels, the Problems panel). */
  readonly inside: RunInside;
  /** The tfjs worker or a Python process; everything it sends is checked (protocol/worker.ts) before handle() sees it. */
  private readonly engine: EngineConnection;
  private readonly listeners = new Set<Listener<HostToWebview>>();
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private hangTimer: ReturnType<typeof setTimeout> | undefined;
  private finished = false;

  constructor(private readonly start: RunStart) {
    this.snapshot = { info: start.info, status: 'starting', batches: [], epochs: [], ...(start.recorder ? { runDir: start.recorder.dir } : {}) };
    start.recorder?.writeModel(start.source, start.info.modelFile);
    this.inside = new RunInside(start.recorder?.dir, (m) => start.log.warn(m));
    // The info the host has now, so a run whose worker dies before it starts still reads back (as failed).
    start.recorder?.writeInfo(start.info);
    this.watchForHang();
    const handlers: EngineHandlers = {
      onMessage: (msg) => {
        this.watchForHang();
        this.handle(msg);
      },
      onMalformed: (why) => {
        this.watchForHang(); // garbage still proves the engine alive
        start.log.warn(`Dropped a malformed message from the ${this.engine?.label ?? 'engine'}: ${why}`);
      },
      onEnd: (end) => this.ended(end),
      // Waiting for other machines is not a hang: no watchdog until the wait is over (the rendezvous
      // has its own timeout, which ends the run as failed with its reason).
      onWaiting: (text) => this.setWaiting(text),
    };
    this.engine = start.connect?.(handlers) ?? new WorkerConnection({
      extensionPath: start.extensionPath, memoryLimitMb: start.memoryLimitMb, log: start.log, createWorker: start.createWorker,
      start: {
        type: 'start', runId: start.info.id, source: start.source, modelFile: start.info.modelFile, assetsDir: start.extensionPath, backend: start.backend,
        ...(start.recorder ? { runDir: start.recorder.dir } : {}), ...(start.lrFinder ? { lrFinder: start.lrFinder } : {}),
        ...(start.lowerPriority ? { lowerPriority: true } : {}),
      },
    }, handlers);
  }

  /** The engine ended without 'done' or 'error'. Only a Stop we asked for ends as stopped: an engine
   *  that exits on its own before 'done' (even with code 0, as a worker terminated before it ran does) lost the run. */
  private ended(end: EngineEnd): void {
    if (end.kind === 'crash') return this.finish({ status: 'failed', error: end.message });
    if (this.stopTimer) return this.finish({ status: 'stopped' });
    const label = this.engine?.label ?? 'engine';
    this.finish({ status: 'failed', error: `The ${label} exited unexpectedly (code ${end.code}).${end.detail ? ` It said: ${end.detail}` : ''}` });
  }

  private setWaiting(text: string | undefined): void {
    if (this.finished) return;
    const s = this.snapshot;
    if (text === undefined) delete s.waiting;
    else s.waiting = text;
    if (text) this.start.log.info(`[${s.info.name}] ${text}`);
    this.watchForHang();
    this.fire({ type: 'snapshot', run: s });
  }

  /** (Re)arms the watchdog: every message from the worker proves it alive. */
  private watchForHang(): void {
    if (this.hangTimer) clearTimeout(this.hangTimer);
    if (this.finished || this.snapshot.waiting !== undefined) return;
    const ms = this.start.hangTimeoutMs ?? 300_000;
    this.hangTimer = setTimeout(() => {
      this.start.log.warn(`[${this.snapshot.info.name}] no message from the ${this.engine.label} for ${ms / 1000} s; stopping it.`);
      this.finish({ status: 'failed', error: `The ${this.engine.label} stopped responding (no message for ${ms / 1000} s), so it was stopped. A single batch this slow means the model is too big for this machine, or a kernel hung.` });
    }, ms);
    this.hangTimer.unref?.();
  }

  /** Increments and status changes, for panels and the status bar. */
  onDidUpdate(listener: Listener<HostToWebview>): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private fire(event: HostToWebview): void {
    for (const listener of [...this.listeners]) listener(event);
  }

  get id(): string {
    return this.snapshot.info.id;
  }

  get opensPanel(): boolean {
    return this.start.openPanel !== false;
  }

  get active(): boolean {
    return !this.finished;
  }

  stop(): void {
    if (this.finished || this.stopTimer) return;
    this.engine.send({ type: 'stop' });
    this.stopTimer = setTimeout(() => this.engine.kill(), this.engine.stopGraceMs);
  }

  /** Asks the training worker for the feature maps of an example; false once the run has ended. */
  pickMaps(pick: ExamplePick): boolean {
    this.inside.pick = pick;
    if (this.finished) return false;
    this.engine.send({ type: 'pickMaps', pick });
    return true;
  }

  private handle(msg: WorkerToHost): void {
    // terminate() is asynchronous: a message the worker posted before it took effect can still
    // arrive after the summary is written. Appending it would leave a record longer than its summary.
    if (this.finished && msg.type !== 'log') return;
    const s = this.snapshot;
    switch (msg.type) {
      case 'started':
        Object.assign(s.info, msg.info, { id: s.info.id, modelFile: s.info.modelFile });
        s.status = 'running';
        delete s.waiting;
        this.start.recorder?.writeInfo(s.info);
        this.fire({ type: 'snapshot', run: s });
        return;
      case 'progress':
        s.batches.push(...msg.batches);
        s.epochs.push(...msg.epochs);
        if (msg.rankSamplesPerSec) s.rankSamplesPerSec = msg.rankSamplesPerSec;
        this.start.recorder?.append(msg.batches, msg.epochs);
        this.fire({ type: 'append', runId: s.info.id, batches: msg.batches, epochs: msg.epochs, ...(msg.rankSamplesPerSec ? { rankSamplesPerSec: msg.rankSamplesPerSec } : {}) });
        return;
      case 'stats':
        this.inside.addStats(msg.record);
        return;
      case 'diagnostics':
        this.inside.setDiagnostics(msg.list);
        return;
      case 'pickedMaps':
        this.inside.setPicked(msg.reply);
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
    if (this.hangTimer) clearTimeout(this.hangTimer);
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
    delete s.waiting;
    this.start.recorder?.writeSummary(summary);
    this.fire({ type: 'status', runId: s.info.id, status: s.status, summary });
    this.engine.kill();
  }

  /** The extension host is going away (window reloaded or closed): the run ends here, recorded as interrupted. */
  dispose(): void {
    const done = this.snapshot.epochs[this.snapshot.epochs.length - 1]?.epoch ?? 0;
    // Written now, synchronously: the host may not live to see the worker's exit event.
    try {
      if (!this.finished) this.finish({ status: 'failed', error: interruptedMessage(done, this.snapshot.info.epochs) });
    } catch (e) {
      this.start.log.warn(`[${this.snapshot.info.name}] could not record the interrupted run: ${(e as Error).message}`);
    }
    this.engine.kill();
    this.listeners.clear();
    this.inside.dispose();
  }
}
