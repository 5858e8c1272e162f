// The inside panels: Weights, Gradient Flow, Filters and Predictions, one panel per view, each
// following the selected run: the newest run started (or the run of the model file the command was
// given), or the run picked in the Runs view until the user goes back to following the live run;
// live or read back from its record. Like the training panel, the host keeps the history:
// a page gets a snapshot on (re)load and increments while it is visible; a serializer restores it.
// Feature maps for an example picked in the Filters panel come from the run's worker while it
// trains, and from a worker loading its saved model once it has ended (recordedMapsWorker.ts).
import * as vscode from 'vscode';
import { type HostToInside, type InsidePanelState, type InsideRunHeader, type InsideView, isInsideView, asInsideToHost } from '../protocol/inside';
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import { asRunDir } from '../host/statePaths';
import { listRuns } from '../engine/runs/runStore';
import { mergeParts } from '../common/stats/budget';
import { sliceRecord } from '../common/stats/viewSlices';
import { assertNever } from '../common/assertNever';
import { InsidePicks } from './insidePicks';
import { BlankPanelGuard } from './blankPanelGuard';
import { recordedAt, runDirOf, runTitle, type Source } from '../host/insideSource';
import type { RunManager } from './runManager';
import { insidePageId } from '../host/webview/panelPages';
import { replacementPanel, setPanelPage } from './webviewHtml';
import { handle } from './commandRegistry';
import type { CommandId } from './commandTable';

export const INSIDE_VIEW_TYPE = 'modelLab.inside';

const TITLES: Record<InsideView, string> = { weights: 'Weights', gradients: 'Gradient Flow', filters: 'Filters', predictions: 'Predictions' };
export const INSIDE_COMMANDS = {
  weights: 'modelLab.showWeights', gradients: 'modelLab.showGradientFlow', filters: 'modelLab.showFilters', predictions: 'modelLab.showPredictions',
} as const satisfies Record<InsideView, CommandId>;

/** 'live': the newest run; 'selected': the run picked in the Runs view (new runs do not take its place). */
type Following = 'live' | 'selected';

/** What a panel asks of the panels' owner: feature maps, and going back to the live run. */
interface PanelHost {
  pick(source: Source, pick: ExamplePick): void;
  picked(source: Source): PickedMapsReply | undefined;
  followLive(): void;
  /** A new panel in place of one that stays blank (blankPanelGuard.ts). */
  replace(panel: InsidePanel): void;
}

class InsidePanel implements vscode.Disposable {
  private ready = false;
  private readonly blankGuard: BlankPanelGuard;
  source: Source | undefined;
  following: Following = 'live';
  private subscriptions: { dispose(): void }[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, readonly view: InsideView, extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel,
    private readonly host: PanelHost, onDispose: () => void, readonly replacements = 0) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    setPanelPage(panel, extensionUri, insidePageId(view));
    this.blankGuard = new BlankPanelGuard(panel, {
      resend: () => this.sendSnapshot(),
      reloadPage: () => setPanelPage(panel, extensionUri, insidePageId(view)),
      replacePanel: () => host.replace(this),
      gaveUp: (message) => void vscode.window.showWarningMessage(`Model Lab: ${message}`),
    }, log, replacements);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
        this.blankGuard.viewStateChanged();
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  show(source: Source, following: Following): void {
    this.unsubscribe();
    this.source = source;
    this.following = following;
    this.panel.title = `${TITLES[this.view]}: ${following === 'selected' ? runTitle(source) : this.header()?.name ?? ''}`;
    if ('run' in source) {
      const id = source.run.id;
      this.subscriptions.push(
        source.run.inside.onDidChange((e) => {
          if (e.type === 'stats' && this.ready && this.panel.visible) this.post({ type: 'stats', runId: id, view: this.view, record: sliceRecord(this.view, e.record) });
          if (e.type === 'pickedMaps') this.postPicked(e.reply);
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
    // The whole history of this view's slice: a re-shown or restored page draws every epoch again.
    const records = ('run' in this.source ? mergeParts(this.source.run.inside.records) : this.source.records).map((r) => sliceRecord(this.view, r));
    const diagnostics = 'run' in this.source ? this.source.run.inside.diagnostics : this.source.diagnostics;
    const picked = this.host.picked(this.source);
    this.post({ type: 'snapshot', view: this.view, run, records, diagnostics, following: this.following, ...(picked ? { picked } : {}) });
  }

  /** Feature maps for the run shown (only the Filters view draws them). */
  postPicked(reply: PickedMapsReply): void {
    const run = this.header();
    if (run && this.ready && this.panel.visible) this.post({ type: 'pickedMaps', runId: run.id, reply });
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
        this.blankGuard.sawReady();
        this.sendSnapshot();
        return;
      case 'pickExample':
        if (this.source) this.host.pick(this.source, msg.pick);
        return;
      case 'followLive':
        this.host.followLive();
        return;
      default:
        assertNever(msg, 'inside panel message');
    }
  }

  private unsubscribe(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }

  dispose(): void {
    this.blankGuard.dispose();
    this.unsubscribe();
    for (const d of this.disposables) d.dispose();
  }
}

export class InsidePanels implements vscode.Disposable, PanelHost {
  private readonly panels = new Map<InsideView, InsidePanel>();
  private readonly disposables: vscode.Disposable[] = [];
  private following: Following = 'live';
  private selected: Source | undefined;
  private readonly picks: InsidePicks;

  constructor(private readonly extensionUri: vscode.Uri, private readonly runs: RunManager, private readonly log: vscode.LogOutputChannel) {
    this.picks = new InsidePicks(extensionUri, log, (dir, reply) =>
      this.panels.forEach((p) => p.source && 'recorded' in p.source && runDirOf(p.source) === dir && p.postPicked(reply)));
    this.disposables.push(this.picks,
      // Panels follow the selected run: a new run becomes it, unless the user picked one in the Runs view.
      runs.onDidStartRun((run) => {
        if (this.following === 'live') this.panels.forEach((p) => p.show({ run }, 'live'));
      }),
      // A pick the training worker did not answer before it ended goes to the saved model.
      runs.onDidChangeRun((run) => {
        const pick = !run.active && run.inside.unanswered;
        if (pick) this.pick({ run }, pick);
      }),
      vscode.window.registerWebviewPanelSerializer(INSIDE_VIEW_TYPE, { deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state) }),
      handle('modelLab.inside.showRun', (dir: unknown, options?: { onlyOpenPanels?: boolean }) => {
        const runDir = asRunDir(dir); // only a run folder is read
        if (runDir && !(options?.onlyOpenPanels && this.panels.size === 0)) this.showRun(runDir, !options?.onlyOpenPanels);
      }),
      ...(Object.keys(INSIDE_COMMANDS) as InsideView[]).map((view) => handle(INSIDE_COMMANDS[view], (uri?: vscode.Uri) => this.open(view, uri))),
    );
  }

  /** Opens a view of the run of `uri` (or of the active editor's model file, or the newest run). */
  open(view: InsideView, uri?: vscode.Uri): void {
    const file = (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)?.fsPath;
    const live = (file && this.runs.latestFor(file)) || this.runs.latest();
    // A file given (a training panel's link, the explorer) names the run wanted: every panel follows it.
    const leaveSelected = uri instanceof vscode.Uri && this.following === 'selected';
    if (leaveSelected) {
      this.following = 'live';
      this.selected = undefined;
    }
    // While a run picked in the Runs view is shown, a newly opened view shows it too.
    const source: Source | undefined = this.following === 'selected' && this.selected ? this.selected : live ? { run: live } : newestRecorded(file);
    if (!source) {
      void vscode.window.showInformationMessage('Model Lab: no training runs yet. Run "Model Lab: Train Model" on a model file first.');
      return;
    }
    let entry = this.panels.get(view);
    if (!entry) entry = this.track(view, vscode.window.createWebviewPanel(INSIDE_VIEW_TYPE, TITLES[view], { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {}));
    else entry.panel.reveal(undefined, true);
    entry.show(source, this.following);
    if (leaveSelected) this.panels.forEach((p) => p !== entry && p.show(source, 'live'));
  }

  /**
   * The run picked in the Runs view (its folder), in every open inside panel, or in a Weights panel
   * when none is open; they keep showing it until the user follows the live run again.
   */
  showRun(dir: string, reveal = true): void {
    // A run of this session is shown live (its statistics as they arrive); any other from its record.
    const recorded = recordedAt(dir);
    const id = recorded && 'recorded' in recorded ? recorded.recorded.info.id : undefined;
    const session = id !== undefined ? this.runs.get(id) : undefined;
    const source: Source | undefined = session?.snapshot.runDir === dir ? { run: session } : recorded;
    if (!source) {
      void vscode.window.showErrorMessage(`Model Lab: the run record ${dir} cannot be read.`);
      return;
    }
    this.following = 'selected';
    this.selected = source;
    if (this.panels.size === 0) this.track('weights', vscode.window.createWebviewPanel(INSIDE_VIEW_TYPE, TITLES.weights, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {}));
    this.panels.forEach((p) => p.show(source, 'selected'));
    if (reveal) [...this.panels.values()][0]?.panel.reveal(undefined, true);
  }

  followLive(): void {
    this.following = 'live';
    this.selected = undefined;
    const live = this.runs.latest();
    const source: Source | undefined = live ? { run: live } : newestRecorded(undefined);
    if (source) this.panels.forEach((p) => p.show(source, 'live'));
  }

  picked(source: Source): PickedMapsReply | undefined {
    return this.picks.answer(source);
  }

  /** Feature maps for `pick`: from the training worker while the run trains, else from its saved model. */
  pick(source: Source, pick: ExamplePick): void {
    this.picks.pick(source, pick);
  }

  replace(old: InsidePanel): void {
    if (this.panels.get(old.view) !== old || !old.source) return;
    this.track(old.view, replacementPanel(old.panel, INSIDE_VIEW_TYPE), old.replacements + 1).show(old.source, old.following);
  }

  private track(view: InsideView, panel: vscode.WebviewPanel, replacements = 0): InsidePanel {
    this.panels.get(view)?.panel.dispose();
    const entry = new InsidePanel(panel, view, this.extensionUri, this.log, this, () => {
      if (this.panels.get(view) === entry) this.panels.delete(view);
    }, replacements);
    this.panels.set(view, entry);
    return entry;
  }

  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<InsidePanelState>;
    const view = isInsideView(s.view) ? s.view : 'weights';
    const live = typeof s.runId === 'string' ? this.runs.get(s.runId) : undefined;
    const runDir = asRunDir(s.runDir); // from the page: only a run folder is read
    const source: Source | undefined = live ? { run: live } : runDir ? recordedAt(runDir) : undefined;
    if (!source) {
      panel.dispose();
      return;
    }
    this.track(view, panel).show(source, 'live');
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

/** The newest recorded run of a file (or of the workspace when no model file is given). */
function newestRecorded(file: string | undefined): Source | undefined {
  const isModel = file !== undefined && /\.model\.(ya?ml|json)$/.test(file);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const dir of listRuns(folder.uri.fsPath)) {
      const source = recordedAt(dir);
      if (source && 'recorded' in source && (!isModel || source.recorded.info.modelFile === file)) return source;
    }
  }
  return undefined;
}
