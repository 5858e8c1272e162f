// Training panels: one per model file, beside it. The host holds the history; a panel gets a full
// snapshot whenever its page (re)loads and increments while it is visible, so no panel needs
// retainContextWhenHidden and a reloaded window finds its runs again from the run record.
import * as vscode from 'vscode';
import { type HostToWebview, type TrainingPanelState, asWebviewToHost } from '../protocol/webview';
import type { RunSnapshot } from '../protocol/run';
import { asRunDir } from '../host/statePaths';
import { readRun } from '../engine/runs/runStore';
import { assertNever } from '../common/assertNever';
import type { RunManager } from './runManager';
import type { TrainingRun } from '../host/trainingRun';
import { BlankPanelGuard } from './blankPanelGuard';
import { replacementPanel, setPanelPage } from './webviewHtml';
import { INSIDE_COMMANDS } from './insidePanel';
import { runCommand } from './commandRegistry';

export const TRAINING_VIEW_TYPE = 'modelLab.training';

/** What a panel shows: a live run of this session, or a finished one read from disk. */
type Source = { run: TrainingRun } | { snapshot: RunSnapshot };

class TrainingPanel implements vscode.Disposable {
  private ready = false;
  source: Source | undefined;
  private subscription: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly blankGuard: BlankPanelGuard;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunManager,
    private readonly log: vscode.LogOutputChannel,
    onDispose: () => void,
    /** Opens a new panel in place of this one when its page stays blank (blankPanelGuard.ts). */
    replace: (old: TrainingPanel) => void,
    readonly replacements = 0,
  ) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    setPanelPage(panel, extensionUri, 'training');
    this.blankGuard = new BlankPanelGuard(panel, {
      resend: () => this.sendSnapshot(),
      reloadPage: () => setPanelPage(panel, extensionUri, 'training'),
      replacePanel: () => replace(this),
      gaveUp: (message) => void vscode.window.showWarningMessage(`Model Lab: ${message}`),
    }, log, replacements);
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => {
        // A hidden webview is torn down; its next page load says 'ready' again.
        if (!panel.visible) this.ready = false;
        this.blankGuard.viewStateChanged();
      }),
      panel.onDidDispose(() => {
        onDispose();
        this.dispose();
      }),
    );
  }

  show(source: Source): void {
    this.subscription?.dispose();
    this.source = source;
    const snap = this.snapshot();
    this.panel.title = `Model Lab: ${snap?.info.name ?? 'training'}`;
    if ('run' in source) {
      this.subscription = source.run.onDidUpdate((m) => {
        if (m.type === 'snapshot') this.panel.title = `Model Lab: ${m.run.info.name}`;
        if (this.ready && this.panel.visible) this.post(m);
      });
    }
    if (this.ready) this.sendSnapshot();
  }

  private snapshot(): RunSnapshot | undefined {
    if (!this.source) return undefined;
    return 'run' in this.source ? this.source.run.snapshot : this.source.snapshot;
  }

  private sendSnapshot(): void {
    const run = this.snapshot();
    if (run) this.post({ type: 'snapshot', run });
  }

  private post(m: HostToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const msg = asWebviewToHost(raw);
    if (!msg) {
      this.log.warn(`Dropped a malformed message from the training panel: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.blankGuard.sawReady();
        this.sendSnapshot();
        return;
      case 'stop':
        this.runs.get(msg.runId)?.stop();
        return;
      case 'trainAgain': {
        const file = this.snapshot()?.info.modelFile;
        if (file && msg.runId === this.snapshot()?.info.id) void runCommand('modelLab.train', vscode.Uri.file(file));
        return;
      }
      case 'showInside': {
        const file = this.snapshot()?.info.modelFile;
        if (msg.runId === this.snapshot()?.info.id) void runCommand(INSIDE_COMMANDS[msg.view], file ? vscode.Uri.file(file) : undefined);
        return;
      }
      default:
        assertNever(msg, 'panel message');
    }
  }

  dispose(): void {
    this.subscription?.dispose();
    this.blankGuard.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

export class TrainingPanels implements vscode.Disposable {
  private readonly panels = new Map<string, TrainingPanel>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunManager,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      runs.onDidStartRun((run) => run.opensPanel && this.showRun(run, true)),
      vscode.window.registerWebviewPanelSerializer(TRAINING_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: unknown) => this.restore(panel, state),
      }),
    );
  }

  /** Opens (or reveals) the panel of the run's model file beside the editor. */
  showRun(run: TrainingRun, preserveFocus: boolean): void {
    const key = run.snapshot.info.modelFile || run.id;
    let entry = this.panels.get(key);
    if (!entry) {
      const panel = vscode.window.createWebviewPanel(TRAINING_VIEW_TYPE, `Model Lab: ${run.snapshot.info.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus }, {});
      entry = this.track(key, panel);
    } else entry.panel.reveal(undefined, preserveFocus);
    entry.show({ run });
  }

  /** Shows a finished run read from its record. */
  showSnapshot(snapshot: RunSnapshot): void {
    const key = snapshot.info.modelFile || snapshot.info.id;
    let entry = this.panels.get(key);
    if (!entry) {
      const panel = vscode.window.createWebviewPanel(TRAINING_VIEW_TYPE, `Model Lab: ${snapshot.info.name}`, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
      entry = this.track(key, panel);
    } else entry.panel.reveal(undefined, true);
    entry.show({ snapshot });
  }

  private track(key: string, panel: vscode.WebviewPanel, replacements = 0): TrainingPanel {
    const entry: TrainingPanel = new TrainingPanel(panel, this.extensionUri, this.runs, this.log, () => {
      if (this.panels.get(key) === entry) this.panels.delete(key);
    }, (old) => this.replace(key, old), replacements);
    this.panels.set(key, entry);
    return entry;
  }

  private replace(key: string, old: TrainingPanel): void {
    if (this.panels.get(key) !== old || !old.source) return;
    this.track(key, replacementPanel(old.panel, TRAINING_VIEW_TYPE), old.replacements + 1).show(old.source);
    old.panel.dispose();
  }

  /** After a window reload: find the run again, live if this session has it, else from its record. */
  private restore(panel: vscode.WebviewPanel, state: unknown): void {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TrainingPanelState>;
    const live = typeof s.runId === 'string' ? this.runs.get(s.runId) : undefined;
    // The state comes from the page: only a run folder is read, never another path it names.
    const runDir = asRunDir(s.runDir);
    const snapshot = !live && runDir ? readRun(runDir) : undefined;
    const key = (live?.snapshot.info.modelFile || snapshot?.info.modelFile || s.runId) ?? `restored-${Date.now()}`;
    const entry = this.track(key, panel);
    if (live) entry.show({ run: live });
    else if (snapshot) entry.show({ snapshot });
    else panel.dispose(); // nothing left to show: the record is gone
  }

  dispose(): void {
    for (const p of this.panels.values()) p.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
