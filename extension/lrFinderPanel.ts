// Model Lab: Find Learning Rate. Runs the learning-rate range test of the active model file in a
// training worker (engine/train/lrFinder.ts), plots loss against rate in a panel beside the file and
// offers the suggested rate; "Use" writes it into the file's learningRate. The host keeps the sweep
// and sends the whole view whenever the page (re)loads, so the panel needs no retained context.
import * as vscode from 'vscode';
import { refuseInRestrictedMode } from './restrictedMode';
import { type HostToLrFinder, type LrFinderView, asLrFinderToHost } from '../protocol/lrFinder';
import type { RunInfo } from '../protocol/run';
import { learningRateEdit, formatRate } from '../model/language/learningRateEdit';
import { parseModel } from '../model/language/parse';
import { suggestLearningRate } from '../engine/train/lrFinder';
import { assertNever } from '../common/assertNever';
import { isModelDocument, modelNameFromPath } from './modelFiles';
import { TrainingRun } from '../host/trainingRun';
import { trainingSettings } from './trainingSettings';
import { setPanelPage } from './webviewHtml';
import { handle } from './commandRegistry';

export const LR_FINDER_VIEW_TYPE = 'modelLab.lrFinder';
export const LR_FINDER_SWEEP = { minLearningRate: 1e-6, maxLearningRate: 10, steps: 120 };

class LrFinderPanel implements vscode.Disposable {
  private ready = false;
  private run: TrainingRun | undefined;
  private view: LrFinderView;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, private readonly uri: vscode.Uri, private readonly log: vscode.LogOutputChannel, onDispose: () => void) {
    panel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    setPanelPage(panel, extensionUri, 'lrFinder');
    this.view = { name: '', status: 'running', points: [], current: 0 };
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

  start(source: string, extensionPath: string): string | undefined {
    const parsed = parseModel(source, { defaultName: modelNameFromPath(this.uri.path) });
    const spec = parsed.spec;
    if (!spec) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      return `The model file has errors; fix them first${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}.`;
    }
    this.run?.dispose();
    this.view = { name: spec.name, status: 'running', points: [], current: spec.train.learningRate };
    this.panel.title = `Learning rate: ${spec.name}`;
    const info: RunInfo = {
      id: `lr-${Date.now().toString(36)}`, name: spec.name, modelFile: this.uri.scheme === 'file' ? this.uri.fsPath : '', startedAt: new Date().toISOString(),
      epochs: spec.train.epochs, batchSize: spec.train.batchSize, batchesPerEpoch: 0, trainSamples: 0, valSamples: 0, backend: '',
      metrics: ['loss'], dataset: spec.data.dataset, seed: spec.train.seed, totalParams: parsed.summary?.totalParams ?? 0,
    };
    const run = new TrainingRun({ info, source, extensionPath, ...trainingSettings(), log: this.log, lrFinder: LR_FINDER_SWEEP, openPanel: false });
    this.run = run;
    run.onDidUpdate((m) => {
      if (run !== this.run) return;
      if (m.type === 'append' || m.type === 'snapshot') this.view.points = run.snapshot.batches.filter((b) => b.learningRate !== undefined).map((b) => ({ learningRate: b.learningRate as number, loss: b.loss }));
      if (m.type === 'status' && m.status !== 'running' && m.status !== 'starting') this.finish(m.summary?.error);
      this.send();
    });
    this.send();
    return undefined;
  }

  private finish(error: string | undefined): void {
    const s = suggestLearningRate(this.view.points);
    if (s) {
      // A sweep that ends with a NaN loss has simply gone past the usable rates.
      this.view = { ...this.view, status: 'done', smoothed: s.smoothed, suggestion: { steepest: s.steepest, minimum: s.minimum } };
    } else {
      this.view = { ...this.view, status: 'failed', message: error ?? 'The sweep ended before it had enough steps to suggest a rate.' };
    }
  }

  private send(): void {
    if (!this.ready || !this.panel.visible) return;
    const m: HostToLrFinder = { type: 'show', view: this.view };
    void this.panel.webview.postMessage(m);
  }

  private receive(raw: unknown): void {
    const msg = asLrFinderToHost(raw);
    if (!msg) {
      this.log.warn(`Dropped a malformed message from the LR finder panel: ${String(JSON.stringify(raw)).slice(0, 200)}`);
      return;
    }
    switch (msg.type) {
      case 'ready':
        this.ready = true;
        this.send();
        return;
      case 'apply':
        void this.apply(msg.learningRate);
        return;
      default:
        assertNever(msg, 'LR finder message');
    }
  }

  private async apply(learningRate: number): Promise<void> {
    const doc = await vscode.workspace.openTextDocument(this.uri);
    const edit = learningRateEdit(doc.getText(), learningRate, doc.languageId.endsWith('json'));
    if (!edit) {
      void vscode.window.showWarningMessage('Model Lab could not find the train section to write learningRate into.');
      return;
    }
    const we = new vscode.WorkspaceEdit();
    const r = edit.range;
    we.replace(this.uri, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character), edit.newText);
    if (await vscode.workspace.applyEdit(we)) {
      this.view = { ...this.view, current: Number(formatRate(learningRate)) };
      this.send();
      void vscode.window.showInformationMessage(`learningRate is now ${formatRate(learningRate)} in ${modelNameFromPath(this.uri.path)} (not saved yet).`);
    }
  }

  dispose(): void {
    this.run?.dispose();
    this.run = undefined;
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

export class LrFinderPanels implements vscode.Disposable {
  private readonly panels = new Map<string, LrFinderPanel>();
  private readonly command: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri, private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {
    this.command = handle('modelLab.findLearningRate', () => this.find());
  }

  private find(): void {
    const doc = vscode.window.activeTextEditor?.document;
    if (!isModelDocument(doc)) {
      void vscode.window.showWarningMessage('Open a model file (*.model.yaml or *.model.json) to find its learning rate.');
      return;
    }
    if (!vscode.workspace.isTrusted) {
      void refuseInRestrictedMode('Model Lab finds learning rates only in a trusted workspace: the range test reads the data files the model names, wherever they are.');
      return;
    }
    const key = doc.uri.toString();
    let panel = this.panels.get(key);
    if (!panel) {
      const webviewPanel = vscode.window.createWebviewPanel(LR_FINDER_VIEW_TYPE, 'Learning rate', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {});
      panel = new LrFinderPanel(webviewPanel, this.extensionUri, doc.uri, this.log, () => this.panels.delete(key));
      this.panels.set(key, panel);
    } else {
      panel.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    const problem = panel.start(doc.getText(), this.extensionPath);
    if (problem) void vscode.window.showErrorMessage(problem);
  }

  dispose(): void {
    this.command.dispose();
    for (const p of [...this.panels.values()]) p.panel.dispose();
  }
}
