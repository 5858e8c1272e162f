// Model Lab: Find Learning Rate. Runs the learning-rate range test of the active model file on the
// engine the file trains on: a training worker (engine/train/lrFinder.ts) or the PyTorch runner
// (engines/pytorch/modellab_torch/lr_finder.py, the same sweep and stop rule, one process), plots loss against rate in a panel beside the file and
// offers the suggested rate; "Use" writes it into the file's learningRate. The host keeps the sweep
// and sends the whole view whenever the page (re)loads, so the panel needs no retained context; the
// page keeps the last view, which a reloaded window shows again (a sweep is not run again by itself).
import * as vscode from 'vscode';
import { type HostToLrFinder, type LrFinderPanelState, type LrFinderToHost, type LrFinderView, asHostToLrFinder, asLrFinderToHost } from '../../protocol/lrFinder';
import type { RunInfo } from '../../protocol/run';
import { learningRateEdit, formatRate } from '../../model/language/learningRateEdit';
import { parseModel } from '../../model/language/parse';
import { suggestLearningRate } from '../../engine/train/lrFinder';
import { assertNever } from '../../common/assertNever';
import { asModelFile } from '../../host/statePaths';
import type { ControllerMessage } from '../../host/webview/panelLifecycle';
import { modelNameFromPath } from '../modelFiles';
import { activeTrustedModel } from './activeModel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TrainingRun, type RunStart } from '../../host/trainingRun';
import { PytorchConnection } from '../../host/engines/pytorchProcess';
import { engineFilesWriter } from '../../host/engines/engineDataThread';
import { assetDirs } from '../../engine/assets';
import { isJsModelPath } from '../jsModelFiles';
import { engineProblem, trainsOnPytorch } from '../engineDiagnostics';
import { pythonFor } from '../pythonInterpreter';
import { trainingSettings } from '../trainingSettings';
import { PanelHost, type HostedPanel } from './panelHost';
import { handle } from '../commandRegistry';

export const LR_FINDER_VIEW_TYPE = 'modelLab.lrFinder';
export const LR_FINDER_SWEEP = { minLearningRate: 1e-6, maxLearningRate: 10, steps: 120 };
type Panel = HostedPanel<LrFinderToHost, HostToLrFinder>;

class LrFinderPanel {
  readonly page = 'lrFinder';
  readonly label = 'the LR finder panel';
  private run: TrainingRun | undefined;

  constructor(private readonly panel: Panel, private readonly uri: vscode.Uri, private readonly log: vscode.LogOutputChannel,
    private view: LrFinderView = { name: '', status: 'running', points: [], current: 0 }) {
    if (view.name) panel.title = `Learning rate: ${view.name}`;
  }

  async start(source: string, extensionPath: string): Promise<string | undefined> {
    const parsed = parseModel(source, { defaultName: modelNameFromPath(this.uri.path) });
    const spec = parsed.spec;
    if (!spec) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      return `The model file has errors; fix them first${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}.`;
    }
    const modelFile = this.uri.scheme === 'file' ? this.uri.fsPath : '';
    const id = `lr-${Date.now().toString(36)}`;
    // The sweep runs where the file trains (a JavaScript model file builds a tfjs network).
    let connect: RunStart['connect'];
    let dataDir: string | undefined; // the runner's data files, removed when the sweep ends
    if (!isJsModelPath(this.uri.path) && trainsOnPytorch(spec, this.uri)) {
      const problem = await engineProblem(spec, this.uri);
      if (problem) return problem.message;
      const python = (await pythonFor(this.uri)).path;
      const { datasetsDir, runnerDir, wasmDir } = assetDirs(extensionPath);
      const dir = (dataDir = mkdtempSync(join(tmpdir(), 'modellab-lr-')));
      // One process: a sweep of single steps gains nothing from ranks, and machines would have to join it.
      connect = (h) => new PytorchConnection({
        python, runnerDir, runId: id, spec, place: { datasetsDir, modelFile }, dataDir: dir, device: spec.train.device ?? 'auto',
        writeData: engineFilesWriter(extensionPath, { source, modelFile, datasetsDir, dataDir: dir, wasmDir, seed: spec.train.seed }),
        topology: { processes: 1, nodes: 1 }, log: this.log, lrFinder: LR_FINDER_SWEEP,
      }, h);
    }
    this.run?.dispose();
    this.view = { name: spec.name, status: 'running', points: [], current: spec.train.learningRate };
    this.panel.title = `Learning rate: ${spec.name}`;
    const info: RunInfo = {
      id, name: spec.name, modelFile, startedAt: new Date().toISOString(),
      epochs: spec.train.epochs, batchSize: spec.train.batchSize, batchesPerEpoch: 0, trainSamples: 0, valSamples: 0, backend: '',
      metrics: ['loss'], dataset: spec.data.dataset, seed: spec.train.seed, totalParams: parsed.summary?.totalParams ?? 0,
    };
    const run = new TrainingRun({
      info: connect ? { ...info, engine: 'pytorch' } : info, source, extensionPath, ...trainingSettings(), log: this.log, lrFinder: LR_FINDER_SWEEP, openPanel: false,
      ...(connect ? { connect } : {}),
    });
    this.run = run;
    run.onDidUpdate((m) => {
      if (run !== this.run) return;
      if (m.type === 'append' || m.type === 'snapshot') this.view.points = run.snapshot.batches.filter((b) => b.learningRate !== undefined).map((b) => ({ learningRate: b.learningRate as number, loss: b.loss }));
      const i = run.snapshot.info;
      if (m.type === 'snapshot' && i.backend) this.view.engine = i.engine === 'pytorch' ? i.backend : `tfjs (${i.backend})`;
      if (m.type === 'status' && m.status !== 'running' && m.status !== 'starting') {
        this.finish(m.summary?.error);
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
      this.panel.refresh();
    });
    this.panel.refresh();
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

  snapshot(): HostToLrFinder {
    return { type: 'show', view: this.view, ...(this.uri.scheme === 'file' ? { modelFile: this.uri.fsPath } : {}) };
  }

  handle(msg: ControllerMessage<LrFinderToHost>): void {
    switch (msg.type) {
      case 'apply':
        void this.apply(msg.learningRate);
        return;
      default:
        assertNever(msg.type, 'LR finder message');
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
      this.panel.refresh();
      void vscode.window.showInformationMessage(`learningRate is now ${formatRate(learningRate)} in ${modelNameFromPath(this.uri.path)} (not saved yet).`);
    }
  }

  dispose(): void {
    this.run?.dispose();
    this.run = undefined;
  }
}

export class LrFinderPanels implements vscode.Disposable {
  private readonly host: PanelHost<string, LrFinderToHost, HostToLrFinder, LrFinderPanel>;
  private readonly command: vscode.Disposable;

  constructor(extensionUri: vscode.Uri, private readonly extensionPath: string, private readonly log: vscode.LogOutputChannel) {
    this.host = new PanelHost(LR_FINDER_VIEW_TYPE, { validate: asLrFinderToHost, restore: (state) => this.restore(state) }, extensionUri, log);
    this.command = handle('modelLab.findLearningRate', () => this.find());
  }

  private find(): void {
    const doc = activeTrustedModel('find its learning rate',
      'Model Lab finds learning rates only in a trusted workspace: the range test reads the data files the model names, wherever they are.');
    if (!doc) return;
    const placement = { column: vscode.ViewColumn.Beside, preserveFocus: true };
    const { controller } = this.host.open(doc.uri.toString(), 'Learning rate', placement, (panel) => new LrFinderPanel(panel, doc.uri, this.log), vscode.ViewColumn.Beside);
    void controller.start(doc.getText(), this.extensionPath).then((problem) => {
      if (problem) void vscode.window.showErrorMessage(problem);
    });
  }

  /** After a window reload: the last sweep the page showed; one cut off by the reload is marked so. */
  private restore(raw: unknown): { key: string; make: (panel: Panel) => LrFinderPanel } | undefined {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Partial<LrFinderPanelState>;
    // From the page: only a model file is written to by "Use", never another path it names.
    const file = asModelFile(s.modelFile);
    const shown = asHostToLrFinder({ type: 'show', view: s.view });
    if (!file || !shown || !vscode.workspace.isTrusted) return undefined;
    const view: LrFinderView = shown.view.status === 'running'
      ? { ...shown.view, status: 'failed', message: 'The window was reloaded before the sweep ended; run "Find Learning Rate" again.' }
      : shown.view;
    const uri = vscode.Uri.file(file);
    return { key: uri.toString(), make: (panel) => new LrFinderPanel(panel, uri, this.log, view) };
  }

  dispose(): void {
    this.command.dispose();
    this.host.dispose();
  }
}
