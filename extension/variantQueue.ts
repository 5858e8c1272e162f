// Runs variants of a model file (try x0.1 / x10, sweeps) a few at a time, and shows them in the
// compare panel as they start, beside the file's latest run.
import * as vscode from 'vscode';
import type { ComparePanels } from './panels/compare';
import type { RunManager } from './runManager';
import type { TrainingRun } from '../host/trainingRun';

export interface Variant {
  name: string;
  source: string;
}

interface Batch {
  uri: vscode.Uri;
  pending: Variant[];
  parallel: number;
  running: number;
  /** Run folders shown in the compare panel for this batch (the base run first). */
  dirs: string[];
}

export class VariantQueue implements vscode.Disposable {
  private readonly batches: Batch[] = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  /** Variants whose start is under way (RunManager.startText is asynchronous). */
  private starting = 0;

  constructor(private readonly runs: RunManager, private readonly compare: ComparePanels, private readonly log: vscode.LogOutputChannel) {}

  get queued(): number {
    return this.batches.reduce((n, b) => n + b.pending.length, 0);
  }

  /** Queues the variants; `parallel` of them train at once (never more than modelLab.maxConcurrentRuns). */
  enqueue(uri: vscode.Uri, variants: Variant[], parallel: number): void {
    const base = this.runs.latestFor(uri.fsPath)?.snapshot.runDir;
    this.batches.push({ uri, pending: [...variants], parallel, running: 0, dirs: base ? [base] : [] });
    this.pump();
    // Slots free up when other runs end too; look again every second while anything waits.
    this.timer ??= setInterval(() => this.pump(), 1000);
  }

  private pump(): void {
    const limit = vscode.workspace.getConfiguration('modelLab').get<number>('maxConcurrentRuns', 2);
    for (const batch of this.batches) {
      // Runs being started count against the limit already: a start waits for the data-file checks.
      while (batch.pending.length && batch.running < batch.parallel && this.runs.activeRuns.length + this.starting < limit) {
        const variant = batch.pending.shift() as Variant;
        batch.running++;
        this.starting++;
        void this.runs.startText(batch.uri, variant.source, { openPanel: false, allowSameFile: true })
          .catch((e: unknown) => (e instanceof Error ? e.message : String(e)))
          .then((run) => {
            this.starting--;
            this.started(batch, variant, run);
          });
      }
    }
    for (let i = this.batches.length - 1; i >= 0; i--) if (this.batches[i]?.pending.length === 0) this.batches.splice(i, 1);
    if (this.batches.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  private started(batch: Batch, variant: Variant, run: TrainingRun | string): void {
    if (typeof run === 'string') {
      batch.running--;
      void vscode.window.showErrorMessage(`Model Lab: variant ${variant.name} did not start: ${run}`);
      this.pump();
      return;
    }
    const sub = run.onDidUpdate((m) => {
      if (m.type !== 'status') return;
      sub.dispose();
      batch.running--;
      this.pump();
    });
    if (run.snapshot.runDir) {
      batch.dirs.push(run.snapshot.runDir);
      this.compare.show([...batch.dirs]);
    }
    this.log.info(`Variant ${variant.name} started (${batch.pending.length} waiting in its batch).`);
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.batches.length = 0;
  }
}
