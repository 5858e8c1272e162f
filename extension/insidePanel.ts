// The inside panels: Weights, Gradient Flow, Filters and Predictions, one panel per view, each
// following the selected run (the newest run started, or the run of the model file the command was
// given), live or read back from its record. Like the training panel, the host keeps the history:
// a page gets a snapshot on (re)load and increments while it is visible; a serializer restores it.
import * as vscode from 'vscode';
import type { HostToInside, InsidePanelState, InsideRunHeader, InsideView } from '../protocol/inside';
import type { RunSnapshot } from '../protocol/run';
import type { StatsRecord, TrainingDiagnostic } from '../protocol/stats';
import { isInsideView, asInsideToHost } from '../core/protocol/validateInside';
import { listRuns, readRun } from '../core/runs/runStore';
import { mergeParts } from '../core/stats/budget';
import { readDiagnostics, readStats } from '../core/stats/record';
import { assertNever } from '../core/util/assertNever';
import type { RunManager } from './runManager';
import type { TrainingRun } from './trainingRun';
import { webviewPage, webviewRoot } from './webviewHtml';

export const INSIDE_VIEW_TYPE = 'modelLab.inside';

const TITLES: Record<InsideView, string> = { weights: 'Weights', gradients: 'Gradient Flow', filters: 'Filters', predictions: 'Predictions' };
export const INSIDE_COMMANDS: Record<InsideView, string> = {
  weights: 'modelLab.showWeights', gradients: 'modelLab.showGradientFlow', filters: 'modelLab.showFilters', predictions: 'modelLab.showPredictions',
};

type Source = { run: TrainingRun } | { recorded: RunSnapshot; records: StatsRecord[]; diagnostics: TrainingDiagnostic[] };

class InsidePanel implements vscode.Disposable {
  private ready = false;
  private source: Source | undefined;
  private subscriptions: { dispose(): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, readonly view: InsideView, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, onDispose: () => void) {
    panel.webview.options = { enableScripts: true, enableCommandUris: false, localResourceRoots: [webviewRoot(extensionUri)] };
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    panel.webview.html = webviewPage(panel.webview, extensionUri, { title: `Model Lab ${TITLES[view]}`, script: 'inside.js', stylesheet: 'inside.css', body: `<main id="app" data-view="${view}"></main>` });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  show(source: Source): void {
    this.unsubscribe();
    this.source = source;
    this.panel.title = `${TITLES[this.view]}: ${this.header()?.name ?? ''}`;
    if ('run' in source) {
      const id = source.run.id;
      this.subscriptions.push(
        source.run.inside.onDidChange((e) => {
          if (e.type === 'stats' && this.ready && this.panel.visible) this.post({ type: 'stats', runId: id, record: e.record });
        }),
        source.run.onDidUpdate((m) => {
          if (m.type === 'status' && this.ready && this.panel.visible) this.post({ type: 'status', runId: id, status: m.status });
          if (m.type === 'snapshot' && this.ready && this.panel.visible) this.sendSnapshot();
        }),
      );
    }
    if (this.ready) this.sendSnapshot();
  }

  private header(): InsideRunHeader | undefined {
    if (!this.source) return undefined;
    const snap = 'run' in this.source ? this.source.run.snapshot : this.source.recorded;
    return { id: snap.info.id, name: snap.info.name, status: snap.status, modelFile: snap.info.modelFile, ...(snap.runDir ? { runDir: snap.runDir } : {}) };
  }

  private sendSnapshot(): void {
    const run = this.header();
    if (!run || !this.source) return;
    const records = 'run' in this.source ? mergeParts(this.source.run.inside.records) : this.source.records;
    const diagnostics = 'run' in this.source ? this.source.run.inside.diagnostics : this.source.diagnostics;
    this.post({ type: 'snapshot', view: this.view, run, records, diagnostics });
  }

  private post(m: HostToInside): void {
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const msg = asInsideToHost(raw);
    if (!msg) {
      this.log.warn(`Dropped a malformed message from the ${TITLES[this.view]} panel: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.sendSnapshot();
        return;
      default:
        assertNever(msg.type, 'inside panel message');
    }
  }

  private unsubscribe(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }

  dispose(): void {
    this.unsubscribe();
    for (const d of this.disposables) d.dispose();
  }
}

export class InsidePanels implements vscode.Disposable {
  private readonly panels = new Map<InsideView, InsidePanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly runs: RunManager, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      // Panels follow the selected run: a new run becomes it.
      runs.onDidStartRun((run) => this.panels.forEach((p) => p.show({ run }))),
      vscode.window.registerWebviewPanelSerializer(INSIDE_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state) }),
      ...(Object.keys(INSIDE_COMMANDS) as InsideView[]).map((view) => vscode.commands.registerCommand(INSIDE_COMMANDS[view], (uri?: vscode.Uri) => this.open(view, uri))),
    );
  }

  /** Opens a view of the run of `uri` (or of the active editor's model file, or the newest run). */
  open(view: InsideView, uri?: vscode.Uri): void {
    const file = (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)?.fsPath;
    const live = (file && this.runs.latestFor(file)) || this.runs.latest();
    const source: Source | undefined = live ? { run: live } : recordedSource(file);
    if (!source) {
      void vscode.window.showInformationMessage('Model Lab: no training runs yet. Run "Model Lab: Train Model" on a model file first.');
      return;
    }
    let entry = this.panels.get(view);
    if (!entry) entry = this.track(view, vscode.window.createWebviewPanel(INSIDE_VIEW_TYPE, TITLES[view], { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {}));
    else entry.panel.reveal(undefined, true);
    entry.show(source);
  }

  private track(view: InsideView, panel: vscode.WebviewPanel): InsidePanel {
    this.panels.get(view)?.panel.dispose();
    const entry = new InsidePanel(panel, view, this.extensionUri, this.log, () => {
      if (this.panels.get(view) === entry) this.panels.delete(view);
    });
    this.panels.set(view, entry);
    return entry;
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<InsidePanelState>;
    const view = isInsideView(s.view) ? s.view : 'weights';
    const live = typeof s.runId === 'string' ? this.runs.get(s.runId) : undefined;
    const source: Source | undefined = live ? { run: live } : typeof s.runDir === 'string' ? recordedAt(s.runDir) : undefined;
    if (!source) {
      panel.dispose();
      return;
    }
    this.track(view, panel).show(source);
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function recordedAt(dir: string): Source | undefined {
  const recorded = readRun(dir);
  return recorded ? { recorded, records: readStats(dir), diagnostics: readDiagnostics(dir) } : undefined;
}

/** The newest recorded run of a file (or of the workspace when no model file is given). */
function recordedSource(file: string | undefined): Source | undefined {
  const isModel = file !== undefined && /\.model\.(ya?ml|json)$/.test(file);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const dir of listRuns(folder.uri.fsPath)) {
      const source = recordedAt(dir);
      if (source && 'recorded' in source && (!isModel || source.recorded.info.modelFile === file)) return source;
    }
  }
  return undefined;
}
