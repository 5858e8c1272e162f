// The "Model Lab" notebook controller: running a cell trains its model (its own text, or the model
// above with its patch merged in) in a worker through the RunManager, and streams the run into the
// cell's outputs. Cells run one after another; interrupting stops the running cell and skips the rest.
import * as vscode from 'vscode';
import { refuseInRestrictedMode } from '../restrictedMode';
import { modelReport } from '../../host/notebook/cellOutput';
import { kindOfLanguage } from '../../host/notebook/notebookFile';
import { resolveCells } from '../../host/notebook/resolveCells';
import { formatDiagnostic } from '../../model/language/diagnostic';
import { parseModel } from '../../model/language/parse';
import type { RunManager } from '../runManager';
import type { TrainingRun } from '../../host/trainingRun';
import { curvesItem, errorOutput, isFinished, runOutputs } from './cellOutputs';
import { registerPatchDiagnostics } from './patchDiagnostics';
import { NOTEBOOK_TYPE } from './serializer';

/** How often a running cell's curves are redrawn: often enough to look live, rarely enough to stay cheap. */
const REDRAW_MS = 300;
const LANGUAGES = ['modellab-yaml', 'modellab-json', 'yaml'];

export function registerNotebookControllers(runs: RunManager): vscode.Disposable {
  // One for .modelnb files, one offering itself in Jupyter notebooks whose cells are model files.
  const controllers = [NOTEBOOK_TYPE, 'jupyter-notebook'].map((type) => {
    const c = vscode.notebooks.createNotebookController(`modelLab.lab.${type}`, type, 'Model Lab');
    c.supportedLanguages = LANGUAGES;
    c.supportsExecutionOrder = true;
    c.description = 'trains each cell\'s model in a worker';
    const runner = new CellRunner(c, runs);
    c.executeHandler = (cells, notebook) => runner.execute(cells, notebook);
    return c;
  });
  const prefer = (nb: vscode.NotebookDocument) => {
    if (nb.notebookType === NOTEBOOK_TYPE) controllers[0]?.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred);
  };
  vscode.workspace.notebookDocuments.forEach(prefer);
  return vscode.Disposable.from(...controllers, vscode.workspace.onDidOpenNotebookDocument(prefer), registerPatchDiagnostics());
}

class CellRunner {
  private order = 0;

  constructor(
    private readonly controller: vscode.NotebookController,
    private readonly runs: RunManager,
  ) {}

  async execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    if (!vscode.workspace.isTrusted) {
      void refuseInRestrictedMode('Model Lab runs notebook cells only in a trusted workspace: training reads data files from it and writes run records into it.');
      return;
    }
    // Created up front so queued cells show as pending and one interrupt cancels them all.
    const executions: vscode.NotebookCellExecution[] = [];
    for (const cell of [...cells].sort((a, b) => a.index - b.index)) {
      try {
        executions.push(this.controller.createNotebookCellExecution(cell));
      } catch {
        /* the cell is already running */
      }
    }
    let interrupted = false;
    for (const exec of executions) {
      if (interrupted || exec.token.isCancellationRequested) {
        interrupted = true;
        exec.start(Date.now());
        exec.end(undefined, Date.now());
        continue;
      }
      const ok = await this.runCell(exec, notebook);
      if (!ok && exec.token.isCancellationRequested) interrupted = true;
    }
  }

  /** Trains one cell; true when its run completed. */
  private async runCell(exec: vscode.NotebookCellExecution, notebook: vscode.NotebookDocument): Promise<boolean> {
    exec.executionOrder = ++this.order;
    exec.start(Date.now());
    await exec.clearOutput();
    const fail = async (message: string) => {
      await exec.replaceOutput(errorOutput(message));
      exec.end(false, Date.now());
      return false;
    };
    const inputs = notebook.getCells().map((c) => ({ kind: kindOfLanguage(c.document.languageId, c.kind === vscode.NotebookCellKind.Markup).kind, source: c.document.getText() }));
    const resolved = resolveCells(inputs)[exec.cell.index];
    if (!resolved) {
      exec.end(true, Date.now());
      return true;
    }
    if ('error' in resolved) return fail(resolved.error);
    const parsed = parseModel(resolved.text, { defaultName: 'experiment' });
    if (!parsed.spec) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(resolved.patched ? 'model after this patch' : 'cell', d));
      return fail(`The model has errors:\n${errors.join('\n')}`);
    }
    const report = modelReport(parsed.spec.name, parsed.summary, parsed.diagnostics, resolved.patched);
    if (!(await this.waitForSlot(exec.token, notebook.uri.fsPath))) {
      exec.end(undefined, Date.now());
      return false;
    }
    const run = await this.runs.startText(notebook.uri, resolved.text, { openPanel: false });
    if (typeof run === 'string') return fail(run);
    // Followed before anything is awaited, so not even a worker that dies at once is missed.
    const initial = exec.replaceOutput(runOutputs(run.snapshot, report));
    await this.follow(run, exec, report, initial);
    const status = run.snapshot.status;
    exec.end(status === 'completed', Date.now());
    return status === 'completed';
  }

  /** Streams the run into the cell until it ends; an interrupt stops it. */
  private follow(run: TrainingRun, exec: vscode.NotebookCellExecution, report: string, initial: Thenable<void>): Promise<void> {
    return new Promise((resolve) => {
      let dirty = false;
      const timer = setInterval(() => {
        if (!dirty) return;
        dirty = false;
        const curves = exec.cell.outputs[report ? 1 : 0];
        if (curves) void exec.replaceOutputItems(curvesItem(run.snapshot), curves);
      }, REDRAW_MS);
      const cancel = exec.token.onCancellationRequested(() => run.stop());
      const sub = run.onDidUpdate(() => {
        dirty = true;
        if (!isFinished(run.snapshot)) return;
        clearInterval(timer);
        cancel.dispose();
        sub.dispose();
        void Promise.resolve(initial).then(() => exec.replaceOutput(runOutputs(run.snapshot, report))).then(resolve, resolve);
      });
    });
  }

  /** Waits for a free run slot, and for any other cell of this notebook to finish (cells train one at a time). */
  private async waitForSlot(token: vscode.CancellationToken, notebookFile: string): Promise<boolean> {
    const limit = () => vscode.workspace.getConfiguration('modelLab').get<number>('maxConcurrentRuns', 2);
    const busy = () => this.runs.activeRuns.length >= limit() || this.runs.activeRuns.some((r) => r.snapshot.info.modelFile === notebookFile);
    while (busy()) {
      if (token.isCancellationRequested) return false;
      await new Promise((r) => setTimeout(r, 500));
    }
    return !token.isCancellationRequested;
  }
}
