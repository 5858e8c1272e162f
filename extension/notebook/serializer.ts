// Reads and writes `.modelnb` files (format in host/notebook/notebookFile.ts). Outputs are not in
// the file: on opening, each code cell gets the outputs of the newest run record that trained
// exactly its model, so a re-opened notebook (or a reloaded window) shows its last runs again.
import * as vscode from 'vscode';
import type { NotebookFileCell } from '../../host/notebook/notebookFile';
import { kindOfLanguage, languageOfKind, readNotebookFile, writeNotebookFile } from '../../host/notebook/notebookFile';
import { modelReport } from '../../host/notebook/cellOutput';
import { findLastRuns } from '../../host/notebook/lastRuns';
import { resolveCells } from '../../host/notebook/resolveCells';
import { readRun } from '../../engine/runs/runStore';
import { parseModel } from '../../model/language/parse';
import { runOutputs } from './cellOutputs';

export const NOTEBOOK_TYPE = 'modellab-notebook';

export class ModelNotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const read = readNotebookFile(new TextDecoder().decode(content));
    // Throwing keeps the file untouched (VS Code says it cannot open it) rather than saving over it.
    if ('error' in read) throw new Error(read.error);
    const cells = read.cells.map((c) => new vscode.NotebookCellData(
      c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code, c.source, languageOfKind(c)));
    try {
      this.attachLastRuns(read.cells, cells);
    } catch (e) {
      this.log.warn(`Could not read the notebook's last runs: ${(e as Error).message}`);
    }
    return new vscode.NotebookData(cells);
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const cells: NotebookFileCell[] = data.cells.map((c) => ({ ...kindOfLanguage(c.languageId, c.kind === vscode.NotebookCellKind.Markup), source: c.value }));
    return new TextEncoder().encode(writeNotebookFile(cells));
  }

  private attachLastRuns(fileCells: NotebookFileCell[], cells: vscode.NotebookCellData[]): void {
    const resolved = resolveCells(fileCells);
    const texts = resolved.map((r) => (r && 'text' in r ? r.text : undefined));
    const roots = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const dirs = findLastRuns(roots, texts);
    dirs.forEach((dir, i) => {
      const run = dir ? readRun(dir) : undefined;
      const text = texts[i];
      const cell = cells[i];
      if (!run || text === undefined || !cell) return;
      const r = resolved[i];
      const parsed = parseModel(text, { defaultName: run.info.name });
      cell.outputs = runOutputs(run, modelReport(run.info.name, parsed.summary, parsed.diagnostics, !!r && 'patched' in r && r.patched));
    });
  }
}

export function registerNotebookSerializer(log: vscode.LogOutputChannel): vscode.Disposable {
  return vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new ModelNotebookSerializer(log), { transientOutputs: true });
}
