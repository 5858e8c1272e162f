// The compare panel: one per window, showing the runs the user chose (from the Runs view or by a
// filter). The host reads the records (cached by file size and time), prepares the lines with
// host/compare/prepare.ts and sends the page a whole view; the page keeps only the choice
// (run folders, metric, smoothing) in its state so a reloaded window shows the same comparison.
import { writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { CompareMetric, ComparePanelState, CompareToHost, HostToCompare } from '../../protocol/compare';
import { metricsCsv, metricsJson } from '../../host/compare/exportMetrics';
import { prepareCompare } from '../../host/compare/prepare';
import { readCompareRun, type CompareRun } from '../../host/compare/readCompareRun';
import { asRunDir } from '../../host/statePaths';
import { runFilesKey } from '../../engine/runs/runList';
import { asCompareToHost, isCompareMetric } from '../../protocol/compare';
import { assertNever } from '../../common/assertNever';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import type { RunManager } from '../runManager';
import { PanelHost, type HostedPanel } from './panelHost';

export const COMPARE_VIEW_TYPE = 'modelLab.compare';
/** The one compare panel of the window. */
const KEY = 'compare';
type Panel = HostedPanel<CompareToHost, HostToCompare>;
type RunCache = Map<string, { key: string; run: CompareRun }>;

class ComparePanel {
  readonly page = 'compare';
  readonly label = 'the compare panel';

  constructor(private readonly panel: Panel, public state: ComparePanelState, private readonly cache: RunCache, private readonly log: vscode.LogOutputChannel) {}

  show(state: ComparePanelState): void {
    this.state = state;
    this.panel.refresh();
  }

  refresh(): void {
    this.panel.refresh();
  }

  snapshot(): HostToCompare {
    const started = Date.now();
    const metric: CompareMetric = this.state.metric;
    const { runs, missing } = this.load(metric === 'batchLoss');
    const view = prepareCompare(runs, metric, this.state.smoothing, missing);
    this.log.info(`Compare: ${runs.length} runs, ${metric}, prepared in ${Date.now() - started} ms.`);
    return { type: 'view', view };
  }

  handle(msg: ControllerMessage<CompareToHost>): void {
    switch (msg.type) {
      case 'setView':
        this.show({ ...this.state, metric: msg.metric, smoothing: msg.smoothing });
        return;
      case 'remove':
        this.show({ ...this.state, runDirs: this.state.runDirs.filter((d) => d !== msg.id) });
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
    for (const dir of this.state.runDirs) {
      const key = runFilesKey(dir);
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
}

export class ComparePanels implements vscode.Disposable {
  private readonly host: PanelHost<string, CompareToHost, HostToCompare, ComparePanel>;
  private readonly cache: RunCache = new Map();
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(extensionUri: vscode.Uri, runs: RunManager, private readonly log: vscode.LogOutputChannel) {
    this.host = new PanelHost(COMPARE_VIEW_TYPE, { validate: asCompareToHost, restore: (state) => this.restore(state) }, extensionUri, log);
    this.disposables.push(
      this.host,
      // Runs still training grow while compared: follow them about once a second.
      runs.onDidChangeRun((run) => {
        if (run.snapshot.runDir && this.host.get(KEY)?.state.runDirs.includes(run.snapshot.runDir)) this.timer ??= setTimeout(() => {
          this.timer = undefined;
          this.host.get(KEY)?.refresh();
        }, 1000);
      }),
    );
  }

  show(runDirs: string[]): void {
    const current = this.host.get(KEY)?.state;
    const state: ComparePanelState = { runDirs, metric: current?.metric ?? 'valLoss', smoothing: current?.smoothing ?? 0.6 };
    const placement = { column: vscode.ViewColumn.Active, preserveFocus: false };
    const { controller, created } = this.host.open(KEY, 'Model Lab: Compare', placement, (panel) => new ComparePanel(panel, state, this.cache, this.log));
    if (!created) controller.show(state);
  }

  private restore(raw: unknown): { key: string; make: (panel: Panel) => ComparePanel } {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<ComparePanelState>;
    // From the page: only run folders are read, never another path it names.
    const runDirs = Array.isArray(s.runDirs) ? s.runDirs.slice(0, 1000).map(asRunDir).filter((d): d is string => d !== undefined) : [];
    const state: ComparePanelState = { runDirs, metric: isCompareMetric(s.metric) ? s.metric : 'valLoss', smoothing: typeof s.smoothing === 'number' && s.smoothing >= 0 && s.smoothing < 1 ? s.smoothing : 0.6 };
    return { key: KEY, make: (panel) => new ComparePanel(panel, state, this.cache, this.log) };
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
  }
}
