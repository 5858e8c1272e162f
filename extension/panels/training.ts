// Training panels: one per model file, beside it. The host holds the history; a panel gets a full
// snapshot whenever its page (re)loads and increments while it is visible, so no panel needs
// retainContextWhenHidden and a reloaded window finds its runs again from the run record.
import * as vscode from 'vscode';
import type { HostToWebview, TrainingPanelState, WebviewToHost } from '../../protocol/webview';
import type { RunSnapshot } from '../../protocol/run';
import { asRunDir } from '../../host/statePaths';
import { asWebviewToHost } from '../../protocol/webview';
import { readRun } from '../../engine/runs/runStore';
import { assertNever } from '../../common/assertNever';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import type { RunManager } from '../runManager';
import type { TrainingRun } from '../../host/trainingRun';
import { INSIDE_COMMANDS } from './inside';
import { PanelHost, type HostedPanel } from './panelHost';
import { runCommand } from '../commandRegistry';

export const TRAINING_VIEW_TYPE = 'modelLab.training';

/** What a panel shows: a live run of this session, or a finished one read from disk. */
type Source = { run: TrainingRun } | { snapshot: RunSnapshot };
type Panel = HostedPanel<WebviewToHost, HostToWebview>;

class TrainingPanel {
  readonly page = 'training';
  readonly label = 'the training panel';
  private source: Source | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor(private readonly panel: Panel, private readonly runs: RunManager) {}

  show(source: Source): void {
    this.subscription?.dispose();
    this.source = source;
    this.panel.title = `Model Lab: ${this.run()?.info.name ?? 'training'}`;
    if ('run' in source) {
      this.subscription = source.run.onDidUpdate((m) => {
        if (m.type === 'snapshot') this.panel.title = `Model Lab: ${m.run.info.name}`;
        this.panel.post(m);
      });
    }
    this.panel.refresh();
  }

  private run(): RunSnapshot | undefined {
    if (!this.source) return undefined;
    return 'run' in this.source ? this.source.run.snapshot : this.source.snapshot;
  }

  snapshot(): HostToWebview | undefined {
    const run = this.run();
    return run && { type: 'snapshot', run };
  }

  handle(msg: ControllerMessage<WebviewToHost>): void {
    const info = this.run()?.info;
    switch (msg.type) {
      case 'stop':
        this.runs.get(msg.runId)?.stop();
        return;
      case 'trainAgain':
        if (info?.modelFile && msg.runId === info.id) void runCommand('modelLab.train', vscode.Uri.file(info.modelFile));
        return;
      case 'showInside':
        if (msg.runId === info?.id) void runCommand(INSIDE_COMMANDS[msg.view], info.modelFile ? vscode.Uri.file(info.modelFile) : undefined);
        return;
      default:
        assertNever(msg, 'panel message');
    }
  }

  dispose(): void {
    this.subscription?.dispose();
  }
}

export class TrainingPanels implements vscode.Disposable {
  private readonly host: PanelHost<string, WebviewToHost, HostToWebview, TrainingPanel>;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(extensionUri: vscode.Uri, private readonly runs: RunManager, log: vscode.LogOutputChannel) {
    this.host = new PanelHost(TRAINING_VIEW_TYPE, { validate: asWebviewToHost, restore: (state) => this.restore(state) }, extensionUri, log);
    this.disposables.push(this.host, runs.onDidStartRun((run) => run.opensPanel && this.showRun(run, true)));
  }

  /** Opens (or reveals) the panel of the run's model file beside the editor. */
  showRun(run: TrainingRun, preserveFocus: boolean): void {
    this.open(run.snapshot.info.modelFile || run.id, run.snapshot, preserveFocus).show({ run });
  }

  /** Shows a finished run read from its record. */
  showSnapshot(snapshot: RunSnapshot): void {
    this.open(snapshot.info.modelFile || snapshot.info.id, snapshot, true).show({ snapshot });
  }

  private open(key: string, snapshot: RunSnapshot, preserveFocus: boolean): TrainingPanel {
    const placement = { column: vscode.ViewColumn.Beside, preserveFocus };
    return this.host.open(key, `Model Lab: ${snapshot.info.name}`, placement, (panel) => new TrainingPanel(panel, this.runs)).controller;
  }

  /** After a window reload: find the run again, live if this session has it, else from its record. */
  private restore(state: unknown): { key: string; make: (panel: Panel) => TrainingPanel } | undefined {
    const s = (typeof state === 'object' && state !== null ? state : {}) as Partial<TrainingPanelState>;
    const live = typeof s.runId === 'string' ? this.runs.get(s.runId) : undefined;
    // The state comes from the page: only a run folder is read, never another path it names.
    const runDir = asRunDir(s.runDir);
    const snapshot = !live && runDir ? readRun(runDir) : undefined;
    const source: Source | undefined = live ? { run: live } : snapshot ? { snapshot } : undefined;
    if (!source) return undefined; // nothing left to show: the record is gone
    const key = (live?.snapshot.info.modelFile || snapshot?.info.modelFile || s.runId) ?? `restored-${Date.now()}`;
    return {
      key,
      make: (panel) => {
        const controller = new TrainingPanel(panel, this.runs);
        controller.show(source);
        return controller;
      },
    };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
