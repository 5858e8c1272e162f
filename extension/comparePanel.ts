// The compare panel: one per window, showing the runs the user chose (from the Runs view or by a
// filter). The host reads the records (cached by file size and time), prepares the lines with
// host/compare/prepare.ts and sends the page a whole view; the page keeps only the choice
// (run folders, metric, smoothing) in its state so a reloaded window shows the same comparison.
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { type CompareMetric, type ComparePanelState, type HostToCompare, asCompareToHost, isCompareMetric } from '../protocol/compare';
import { metricsCsv, metricsJson } from '../host/compare/exportMetrics';
import { prepareCompare } from '../host/compare/prepare';
import { readCompareRun, type CompareRun } from '../host/compare/readCompareRun';
import { asRunDir } from '../host/statePaths';
import { assertNever } from '../common/assertNever';
import type { RunManager } from './runManager';
import { setPanelPage } from './webviewHtml';

export const COMPARE_VIEW_TYPE = 'modelLab.compare';

export class ComparePanels implements vscode.Disposable {
  private current: { panel: vscode.WebviewPanel; state: ComparePanelState; ready: boolean } | undefined;
  private readonly cache = new Map<string, { key: string; run: CompareRun }>();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly extensionUri: vscode.Uri, runs: RunManager, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state) }),
      // Runs still training grow while compared: follow them about once a second.
      runs.onDidChangeRun((run) => {
        if (run.snapshot.runDir && this.current?.state.runDirs.includes(run.snapshot.runDir)) this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.send();
        }, 1000);
      }),
    );
  }

  show(runDirs: string[]): void {
    const state: ComparePanelState = { runDirs, metric: this.current?.state.metric ?? 'valLoss', smoothing: this.current?.state.smoothing ?? 0.6 };
    if (this.current) {
      this.current.state = state;
      this.current.panel.reveal();
      this.send();
      return;
    }
    const panel = vscode.window.createWebviewPanel(COMPARE_VIEW_TYPE, 'Model Lab: Compare', vscode.ViewColumn.Active, {});
    this.attach(panel, state);
  }

  private restore(panel: vscode.WebviewPanel, raw: unknown): void {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<ComparePanelState>;
    // From the page: only run folders are read, never another path it names.
    const runDirs = Array.isArray(s.runDirs) ? s.runDirs.slice(0, 1000).map(asRunDir).filter((d): d is string => d !== undefined) : [];
    this.attach(panel, { runDirs, metric: isCompareMetric(s.metric) ? s.metric : 'valLoss', smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6 });
  }

  private attach(panel: vscode.WebviewPanel, state: ComparePanelState): void {
    this.current?.panel.dispose();
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'icon.svg');
    setPanelPage(panel, this.extensionUri, 'compare');
    const current = { panel, state, ready: false };
    this.current = current;
    const subs = [
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) current.ready = false;
      }),
    ];
    panel.onDidDispose(() => {
      subs.forEach((d) => d.dispose());
      if (this.current === current) this.current = undefined;
    });
  }

  private receive(raw: unknown): void {
    const msg = asCompareToHost(raw);
    const c = this.current;
    if (!msg || !c) {
      this.log.warn(`Dropped a malformed message from the compare panel: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        c.ready = true;
        this.send();
        return;
      case 'setView':
        c.state = { ...c.state, metric: msg.metric, smoothing: msg.smoothing };
        this.send();
        return;
      case 'remove':
        c.state = { ...c.state, runDirs: c.state.runDirs.filter((d) => d !== msg.id) };
        this.send();
        return;
      case 'export':
        void this.export(msg.format);
        return;
      default:
        assertNever(msg, 'compare panel message');
    }
  }

  /** The runs, from the cache while their files are unchanged; batch points only when they are needed. */
  private load(batches: boolean): { runs: CompareRun[]; missing: string[] } {
    const runs: CompareRun[] = [];
    const missing: string[] = [];
    for (const dir of this.current?.state.runDirs ?? []) {
      const key = fileKey(dir);
      let hit = this.cache.get(dir);
      if (!hit || hit.key !== key || (batches && !hit.run.batchesRead)) {
        const run = readCompareRun(dir, { batches });
        hit = run && { key, run };
        if (hit) this.cache.set(dir, hit);
      }
      if (hit) runs.push(hit.run);
      else missing.push(dir);
    }
    return { runs, missing };
  }

  private send(): void {
    const c = this.current;
    if (!c?.ready) return;
    const started = Date.now();
    const metric: CompareMetric = c.state.metric;
    const { runs, missing } = this.load(metric === 'batchLoss');
    const view = prepareCompare(runs, metric, c.state.smoothing, missing);
    const msg: HostToCompare = { type: 'view', view };
    void c.panel.webview.postMessage(msg);
    this.log.info(`Compare: ${runs.length} runs, ${metric}, prepared in ${Date.now() - started} ms.`);
  }

  private async export(format: 'csv' | 'json'): Promise<void> {
    const { runs } = this.load(format === 'json');
    if (runs.length === 0) return;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      title: `Export the metrics of ${runs.length} runs`,
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `runs.${format}`) } : {}),
    });
    if (!target) return;
    try {
      writeFileSync(target.fsPath, format === 'csv' ? metricsCsv(runs) : metricsJson(runs));
      void vscode.window.showInformationMessage(`Model Lab: exported ${runs.length} runs to ${vscode.workspace.asRelativePath(target)}.`);
    } catch (e) {
      void vscode.window.showErrorMessage(`Model Lab could not write ${target.fsPath}: ${(e as Error).message}`);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.current?.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function fileKey(dir: string): string {
  return ['metrics.jsonl', 'summary.json', 'meta.json', 'run.json'].map((f) => {
    try {
      const s = statSync(join(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');
}
