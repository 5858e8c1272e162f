// Starts and tracks training runs: one worker each, at most `modelLab.maxConcurrentRuns` at once,
// and never two for the same model file. Keeps every run of this session for the panels.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { RunInfo } from '../protocol/run';
import { newRunDir, RunRecorder } from '../engine/runs/runStore';
import { sweepInterruptedRuns, sweepRunDirs, type Sweep } from '../engine/runs/interruptedRuns';
import { isJsModelPath, JS_TRUST_MESSAGE, jsPlaceholder } from './jsModelFiles';
import { parseModelWithDataFiles } from '../engine/data/dataFiles';
import { untrustedDataRefusal } from '../engine/data/trustedData';
import { modelNameFromPath } from './modelFiles';
import { TrainingRun, type RunStart } from '../host/trainingRun';
import type { ModelSpec } from '../model/language/model';
import { assetDirs } from '../engine/assets';
import { PytorchConnection } from '../host/engines/pytorchProcess';
import { resolveTopology } from '../host/engines/pytorchLaunch';
import { engineFilesWriter } from '../host/engines/engineDataThread';
import { engineProblem, trainsOnPytorch } from './engineDiagnostics';
import { pythonFor } from './pythonInterpreter';
import { trainingSettings } from './trainingSettings';

export class RunManager implements vscode.Disposable {
  private readonly runs = new Map<string, TrainingRun>();
  private readonly started = new vscode.EventEmitter<TrainingRun>();
  private readonly changed = new vscode.EventEmitter<TrainingRun>();
  /** A run was created (panels switch to it). */
  readonly onDidStartRun = this.started.event;
  /** Any progress or status change of any run (status bar, context keys). */
  readonly onDidChangeRun = this.changed.event;
  private counter = 0;
  private sweepTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionPath: string,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Before any panel is restored: a run the last window left unfinished reads as interrupted.
    this.sweepInterrupted(() => sweepInterruptedRuns((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)));
  }

  /**
   * Records left without a summary by an extension host that is gone (window reloaded or closed,
   * host crashed) get one saying the run was interrupted (engine/runs/interruptedRuns.ts). A run whose
   * process still lives (another window) is looked at again until it finishes or its process ends.
   */
  private sweepInterrupted(sweep: () => Sweep): void {
    let result: Sweep;
    try {
      result = sweep();
    } catch (e) {
      this.log.warn(`Could not check for interrupted runs: ${(e as Error).message}`);
      return;
    }
    for (const dir of result.marked) this.log.info(`The run recorded in ${dir} was interrupted (its window was reloaded or closed); its record now says so.`);
    if (result.waiting.length === 0) return;
    this.sweepTimer = setTimeout(() => this.sweepInterrupted(() => sweepRunDirs(result.waiting)), 3000);
    this.sweepTimer.unref?.();
  }

  get activeRuns(): TrainingRun[] {
    return [...this.runs.values()].filter((r) => r.active);
  }

  get(runId: string): TrainingRun | undefined {
    return this.runs.get(runId);
  }

  /** Latest run of a model file, active or not. */
  latestFor(modelFile: string): TrainingRun | undefined {
    return [...this.runs.values()].reverse().find((r) => r.snapshot.info.modelFile === modelFile);
  }

  latest(): TrainingRun | undefined {
    return [...this.runs.values()].pop();
  }

  /** Returns the new run, or a message saying why it did not start. */
  start(document: vscode.TextDocument): Promise<TrainingRun | string> {
    return this.startText(document.uri, document.getText());
  }

  /**
   * Trains `source` as if it were the file at `uri` (data paths resolve beside it, the record goes
   * into its workspace folder). `openPanel: false` for runs shown elsewhere (notebook cells, variants).
   * Asynchronous because the data files the model names are looked at first, off the editor's thread.
   */
  async startText(uri: vscode.Uri, source: string, options: { openPanel?: boolean; allowSameFile?: boolean } = {}): Promise<TrainingRun | string> {
    const modelFile = uri.scheme === 'file' ? uri.fsPath : '';
    // A JavaScript model file is never run here: the worker loads it and reports what it builds.
    if (isJsModelPath(uri.path) && !vscode.workspace.isTrusted) return JS_TRUST_MESSAGE;
    const parsed = isJsModelPath(uri.path) ? jsPlaceholder(uri) : await parseModelWithDataFiles(source, { defaultName: modelNameFromPath(uri.path), modelFile });
    if (!parsed.spec) {
      const first = parsed.diagnostics.find((d) => d.severity === 'error');
      return `The model file has errors; fix them first${first ? ` (line ${first.range.start.line + 1}: ${first.message})` : ''}.`;
    }
    if (!vscode.workspace.isTrusted) {
      const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      const refusal = await untrustedDataRefusal(parsed.spec, modelFile, roots);
      if (refusal) return refusal.range ? `${refusal.message} (line ${refusal.range.start.line + 1})` : refusal.message;
    }
    // A JavaScript model file builds a tfjs network: it trains on tfjs whatever modelLab.engine says.
    const pytorch = !isJsModelPath(uri.path) && trainsOnPytorch(parsed.spec, uri) ? await this.pytorchPython(uri, parsed.spec) : undefined;
    if (typeof pytorch === 'object' && 'refusal' in pytorch) return pytorch.refusal;
    // From here on nothing is awaited, so two starts cannot both pass the limits below.
    // Variants of one file (a sweep) may train side by side; a plain Train of a file once at a time.
    const busy = !options.allowSameFile && this.activeRuns.find((r) => r.snapshot.info.modelFile === modelFile && modelFile);
    if (busy) return `${busy.snapshot.info.name} is already training. Stop it first (Model Lab: Stop Training).`;
    const limit = vscode.workspace.getConfiguration('modelLab').get<number>('maxConcurrentRuns', 2);
    if (this.activeRuns.length >= limit) return `${this.activeRuns.length} runs are training already (modelLab.maxConcurrentRuns is ${limit}). Stop one first.`;

    const spec = parsed.spec;
    const id = `${Date.now().toString(36)}-${++this.counter}`;
    const info: RunInfo = {
      id, name: spec.name, modelFile, startedAt: new Date().toISOString(), epochs: spec.train.epochs,
      batchSize: spec.train.batchSize, batchesPerEpoch: 0, trainSamples: 0, valSamples: 0, backend: '',
      metrics: ['loss', ...spec.train.metrics], dataset: spec.data.dataset, seed: spec.train.seed, totalParams: parsed.summary?.totalParams ?? 0,
    };
    const recorder = this.makeRecorder(uri, spec.name);
    const connect = pytorch ? this.pytorchConnect(pytorch.python, spec, source, id, modelFile, recorder?.dir) : undefined;
    const run = new TrainingRun({
      info: pytorch ? { ...info, engine: 'pytorch', backend: 'pytorch' } : info, source, extensionPath: this.extensionPath, ...trainingSettings(), log: this.log,
      ...(recorder ? { recorder } : {}), openPanel: options.openPanel !== false, ...(connect ? { connect } : {}),
    });
    this.runs.set(id, run);
    run.onDidUpdate(() => this.changed.fire(run));
    this.log.info(`Started run ${id} of ${modelFile || 'an unsaved model'}${recorder ? `, recorded in ${recorder.dir}` : ''}.`);
    this.started.fire(run);
    this.changed.fire(run);
    return run;
  }

  /** The interpreter that will train, or why none can (the same words as the diagnostic on the engine line). */
  private async pytorchPython(uri: vscode.Uri, spec: ModelSpec): Promise<{ python: string } | { refusal: string }> {
    const problem = await engineProblem(spec, uri);
    if (problem) return { refusal: problem.message };
    return { python: (await pythonFor(uri)).path };
  }

  private pytorchConnect(python: string, spec: ModelSpec, source: string, runId: string, modelFile: string, runDir: string | undefined): RunStart['connect'] {
    const { datasetsDir, runnerDir, wasmDir } = assetDirs(this.extensionPath);
    // An unsaved model's data files go to a temporary folder (its run has no record).
    const dataDir = runDir ?? mkdtempSync(join(tmpdir(), 'modellab-torch-'));
    const writeData = engineFilesWriter(this.extensionPath, { source, modelFile, datasetsDir, dataDir, wasmDir, seed: spec.train.seed });
    return (handlers) => new PytorchConnection({
      python, runnerDir, runId, spec, place: { datasetsDir, modelFile }, dataDir, runDir, writeData,
      device: spec.train.device ?? 'auto', topology: resolveTopology(spec), log: this.log,
    }, handlers);
  }

  private makeRecorder(uri: vscode.Uri, name: string): RunRecorder | undefined {
    if (uri.scheme !== 'file') return undefined;
    const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? dirname(uri.fsPath);
    let warned = false;
    try {
      return new RunRecorder(newRunDir(root, name), (message) => {
        if (!warned) void vscode.window.showWarningMessage(message);
        warned = true;
      });
    } catch (e) {
      void vscode.window.showWarningMessage(`Model Lab cannot create a run record under ${root}: ${(e as Error).message}. Training goes on without one.`);
      return undefined;
    }
  }

  dispose(): void {
    clearTimeout(this.sweepTimer);
    for (const run of this.runs.values()) run.dispose();
    this.started.dispose();
    this.changed.dispose();
  }
}
