// The inside panels: Weights, Gradient Flow, Filters and Predictions, one panel per view, each
// following the selected run: the newest run started (or the run of the model file the command was
// given), or the run picked in the Runs view until the user goes back to following the live run;
// live or read back from its record. Like the training panel, the host keeps the history:
// a page gets a snapshot on (re)load and increments while it is visible; a serializer restores it.
// Feature maps for an example picked in the Filters panel come from the run's worker while it
// trains, and from a worker loading its saved model once it has ended (recordedMapsWorker.ts).
import * as vscode from 'vscode';
import { type HostToInside, type InsidePanelState, type InsideRunHeader, type InsideToHost, type InsideView, isInsideView, asInsideToHost } from '../../protocol/inside';
import type { PickedMapsReply } from '../../protocol/pickedMaps';
import { asRunDir } from '../../host/statePaths';
import { listRuns } from '../../engine/runs/runStore';
import { mergeParts } from '../../common/stats/budget';
import { sliceRecord } from '../../common/stats/viewSlices';
import { assertNever } from '../../common/assertNever';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import { InsidePicks } from '../insidePicks';
import { recordedAt, runDirOf, runTitle, type Source } from '../../host/insideSource';
import type { RunManager } from '../runManager';
import type { TrainingRun } from '../../host/trainingRun';
import { chooseRun, isModelFilePath, noRunsMessage } from '../../host/runChoice';
import { insidePageId } from '../../host/webview/panelPages';
import { PanelHost, type HostedPanel } from './panelHost';
import { handle, runCommand } from '../commandRegistry';
import type { CommandId } from '../commandTable';

export const INSIDE_VIEW_TYPE = 'modelLab.inside';

const TITLES: Record<InsideView, string> = { weights: 'Weights', gradients: 'Gradient Flow', filters: 'Filters', predictions: 'Predictions' };
export const INSIDE_COMMANDS = {
  weights: 'modelLab.showWeights', gradients: 'modelLab.showGradientFlow', filters: 'modelLab.showFilters', predictions: 'modelLab.showPredictions',
} as const satisfies Record<InsideView, CommandId>;
const PLACEMENT = { column: vscode.ViewColumn.Beside, preserveFocus: true };

/** 'live': the newest run; 'selected': the run picked in the Runs view (new runs do not take its place). */
type Following = 'live' | 'selected';
type Panel = HostedPanel<InsideToHost, HostToInside>;

class InsidePanel {
  readonly page: ReturnType<typeof insidePageId>;
  readonly label: string;
  source: Source | undefined;
  following: Following = 'live';
  private subscriptions: { dispose(): void }[] = [];

  constructor(private readonly panel: Panel, readonly view: InsideView, private readonly owner: InsidePanels) {
    this.page = insidePageId(view);
    this.label = `the ${TITLES[view]} panel`;
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
          if (e.type === 'stats') this.panel.post({ type: 'stats', runId: id, view: this.view, record: sliceRecord(this.view, e.record) });
          if (e.type === 'pickedMaps') this.postPicked(e.reply);
        }),
        source.run.onDidUpdate((m) => {
          if (m.type === 'status') this.panel.post({ type: 'status', runId: id, status: m.status });
          if (m.type === 'snapshot') this.panel.refresh();
        }),
      );
    }
    this.panel.refresh();
  }

  private header(): InsideRunHeader | undefined {
    if (!this.source) return undefined;
    const snap = 'run' in this.source ? this.source.run.snapshot : this.source.recorded;
    return { id: snap.info.id, name: snap.info.name, status: snap.status, modelFile: snap.info.modelFile, ...(snap.runDir ? { runDir: snap.runDir } : {}) };
  }

  snapshot(): HostToInside | undefined {
    const run = this.header();
    if (!run || !this.source) return undefined;
    // The whole history of this view's slice: a re-shown or restored page draws every epoch again.
    const records = ('run' in this.source ? mergeParts(this.source.run.inside.records) : this.source.records).map((r) => sliceRecord(this.view, r));
    const diagnostics = 'run' in this.source ? this.source.run.inside.diagnostics : this.source.diagnostics;
    const picked = this.owner.picked(this.source);
    return { type: 'snapshot', view: this.view, run, records, diagnostics, following: this.following, ...(picked ? { picked } : {}) };
  }

  /** Feature maps for the run shown (only the Filters view draws them). */
  postPicked(reply: PickedMapsReply): void {
    const run = this.header();
    if (run) this.panel.post({ type: 'pickedMaps', runId: run.id, reply });
  }

  handle(msg: ControllerMessage<InsideToHost>): void {
    switch (msg.type) {
      case 'pickExample':
        if (this.source) this.owner.picks.pick(this.source, msg.pick);
        return;
      case 'followLive':
        this.owner.followLive();
        return;
      case 'exploreConvolution':
        void runCommand('modelLab.openConvolution', msg.setup);
        return;
      default:
        assertNever(msg, 'inside panel message');
    }
  }

  reveal(): void {
    this.panel.surface.reveal(undefined, true);
  }

  private unsubscribe(): void {
    for (const s of this.subscriptions) s.dispose();
    this.subscriptions = [];
  }

  dispose(): void {
    this.unsubscribe();
  }
}

export class InsidePanels implements vscode.Disposable {
  private readonly host: PanelHost<InsideView, InsideToHost, HostToInside, InsidePanel>;
  private readonly disposables: vscode.Disposable[] = [];
  private following: Following = 'live';
  private selected: Source | undefined;
  readonly picks: InsidePicks;

  constructor(extensionUri: vscode.Uri, private readonly runs: RunManager, log: vscode.LogOutputChannel) {
    this.host = new PanelHost(INSIDE_VIEW_TYPE, { validate: asInsideToHost, restore: (state) => this.restore(state) }, extensionUri, log);
    this.picks = new InsidePicks(extensionUri, log, (dir, reply) =>
      this.all().forEach((p) => p.source && 'recorded' in p.source && runDirOf(p.source) === dir && p.postPicked(reply)));
    this.disposables.push(this.host, this.picks,
      // Panels follow the selected run: a new run becomes it, unless the user picked one in the Runs view.
      runs.onDidStartRun((run) => {
        if (this.following === 'live') this.all().forEach((p) => p.show({ run }, 'live'));
      }),
      // A pick the training worker did not answer before it ended goes to the saved model.
      runs.onDidChangeRun((run) => {
        const pick = !run.active && run.inside.unanswered;
        if (pick) this.picks.pick({ run }, pick);
      }),
      handle('modelLab.inside.showRun', (dir: unknown, options?: { onlyOpenPanels?: boolean }) => {
        const runDir = asRunDir(dir); // only a run folder is read
        if (runDir && !(options?.onlyOpenPanels && this.host.size === 0)) this.showRun(runDir, !options?.onlyOpenPanels);
      }),
      ...(Object.keys(INSIDE_COMMANDS) as InsideView[]).map((view) => handle(INSIDE_COMMANDS[view], (uri?: vscode.Uri) => this.open(view, uri))),
    );
  }

  private all(): InsidePanel[] {
    return this.host.controllers();
  }

  /** Opens a view of the run of `uri` (or of the active editor's model file, or the newest run). */
  open(view: InsideView, uri?: vscode.Uri): void {
    const file = (uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri)?.fsPath;
    const choice = chooseRun<TrainingRun, Source>(file, { latestFor: (f) => this.runs.latestFor(f), latest: () => this.runs.latest(), recorded: newestRecorded });
    // A file given (a training panel's link, the explorer) names the run wanted: every panel follows it.
    const leaveSelected = uri instanceof vscode.Uri && this.following === 'selected';
    if (leaveSelected) {
      this.following = 'live';
      this.selected = undefined;
    }
    // While a run picked in the Runs view is shown, a newly opened view shows it too.
    const chosen: Source | undefined = choice.kind === 'live' ? { run: choice.run } : choice.kind === 'recorded' ? choice.run : undefined;
    const source: Source | undefined = this.following === 'selected' && this.selected ? this.selected : chosen;
    if (!source) {
      void vscode.window.showInformationMessage(noRunsMessage(choice.kind === 'none' ? choice.file : undefined));
      return;
    }
    const entry = this.openView(view);
    entry.show(source, this.following);
    if (leaveSelected) this.all().forEach((p) => p !== entry && p.show(source, 'live'));
  }

  private openView(view: InsideView): InsidePanel {
    return this.host.open(view, TITLES[view], PLACEMENT, (panel) => new InsidePanel(panel, view, this)).controller;
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
    if (this.host.size === 0) this.openView('weights');
    this.all().forEach((p) => p.show(source, 'selected'));
    if (reveal) this.all()[0]?.reveal();
  }

  followLive(): void {
    this.following = 'live';
    this.selected = undefined;
    const live = this.runs.latest();
    const source: Source | undefined = live ? { run: live } : newestRecorded(undefined);
    if (source) this.all().forEach((p) => p.show(source, 'live'));
  }

  picked(source: Source): PickedMapsReply | undefined {
    return this.picks.answer(source);
  }

  private restore(state: unknown): { key: InsideView; make: (panel: Panel) => InsidePanel } | undefined {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<InsidePanelState>;
    const view = isInsideView(s.view) ? s.view : 'weights';
    const live = typeof s.runId === 'string' ? this.runs.get(s.runId) : undefined;
    const runDir = asRunDir(s.runDir); // from the page: only a run folder is read
    const source: Source | undefined = live ? { run: live } : runDir ? recordedAt(runDir) : undefined;
    if (!source) return undefined;
    return {
      key: view,
      make: (panel) => {
        const controller = new InsidePanel(panel, view, this);
        controller.show(source, 'live');
        return controller;
      },
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** The newest recorded run of a file (or of the workspace when no model file is given). */
function newestRecorded(file: string | undefined): Source | undefined {
  const isModel = file !== undefined && isModelFilePath(file);
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const dir of listRuns(folder.uri.fsPath)) {
      const source = recordedAt(dir);
      if (source && 'recorded' in source && (!isModel || source.recorded.info.modelFile === file)) return source;
    }
  }
  return undefined;
}
