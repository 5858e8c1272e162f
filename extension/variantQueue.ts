// Runs variants of a model file (try x0.1 / x10, sweeps) a few at a time, and shows them in the
// compare panel as they start, beside the file's latest run.
import * as vscode from 'vscode';
import type { ComparePanels } from './panels/compare';
import type { RunManager } from './runManager';

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
      while (batch.pending.length && batch.running < batch.parallel && this.runs.activeRuns.length < limit) {
        const variant = batch.pending.shift() as Variant;
        const run = this.runs.startText(batch.uri, variant.source, { openPanel: false, allowSameFile: true });
        if (typeof run === 'string') {
          void vscode.window.showErrorMessage(`Model Lab: variant ${variant.name} did not start: ${run}`);
          continue;
        }
        batch.running++;
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
    }
    for (let i = this.batches.length - 1; i >= 0; i--) if (this.batches[i]?.pending.length === 0) this.batches.splice(i, 1);
    if (this.batches.length === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearInterval(this.timer);
    this.batches.length = 0;
  }
}
