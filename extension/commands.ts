// The palette commands: Train Model, Stop Training, Show Training Panel.
import * as vscode from 'vscode';
import { listRuns, readRun } from '../engine/runs/runStore';
import type { RunSnapshot } from '../protocol/run';
import { handle } from './commandRegistry';
import { chooseRun, noRunsMessage } from '../host/runChoice';
import { isJsModelDocument, isJsModelPath, refuseUntrustedJs } from './jsModelFiles';
import { isModelDocument, MODEL_GLOB } from './modelFiles';
import type { RunManager } from './runManager';
import { newExperimentNotebook } from './notebook/newNotebook';
import type { TrainingPanels } from './panels/training';

export function registerCommands(runs: RunManager, panels: TrainingPanels): vscode.Disposable {
  return vscode.Disposable.from(
    handle('modelLab.train', (uri) => train(runs, uri)),
    handle('modelLab.stop', (uri) => stop(runs, uri)),
    handle('modelLab.showPanel', (uri) => showPanel(runs, panels, uri)),
    handle('modelLab.newNotebook', (uri) => newExperimentNotebook(uri)),
  );
}

async function train(runs: RunManager, uri: vscode.Uri | undefined): Promise<void> {
  // Restricted Mode: declarative model files are data and train; JavaScript ones are code and do not
  // (data paths outside the workspace are refused by RunManager, model/language/trust.ts).
  if (!vscode.workspace.isTrusted && isJsModelPath((uri ?? vscode.window.activeTextEditor?.document.uri)?.path ?? '')) return refuseUntrustedJs();
  const doc = await pickModelDocument(uri);
  if (!doc) return;
  // An ES module is imported from disk by the worker: what trains is what the editor shows.
  if (isJsModelDocument(doc) && doc.isDirty) await doc.save();
  const result = await runs.start(doc);
  if (typeof result !== 'string') return;
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showErrorMessage(result, ...(vscode.workspace.isTrusted ? [] : [manage]));
  if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}

async function stop(runs: RunManager, uri: vscode.Uri | undefined): Promise<void> {
  const file = (uri ?? vscode.window.activeTextEditor?.document.uri)?.fsPath;
  const active = runs.activeRuns;
  const run = active.find((r) => r.snapshot.info.modelFile === file) ?? (active.length === 1 ? active[0] : undefined);
  if (run) return run.stop();
  if (active.length === 0) {
    void vscode.window.showInformationMessage('Model Lab: nothing is training.');
    return;
  }
  const pick = await vscode.window.showQuickPick(active.map((r) => ({ label: r.snapshot.info.name, description: r.snapshot.info.modelFile, run: r })), { placeHolder: 'Which run should stop?' });
  pick?.run.stop();
}

async function showPanel(runs: RunManager, panels: TrainingPanels, uri: vscode.Uri | undefined): Promise<void> {
  const file = (uri ?? vscode.window.activeTextEditor?.document.uri)?.fsPath;
  const choice = chooseRun(file, { latestFor: (f) => runs.latestFor(f), latest: () => runs.latest(), recorded: newestRecordedSnapshot });
  if (choice.kind === 'live') return panels.showRun(choice.run, false);
  if (choice.kind === 'recorded') return panels.showSnapshot(choice.run);
  void vscode.window.showInformationMessage(noRunsMessage(choice.file));
}

/** The newest recorded run of a model file, or of the workspace when no file is given. */
function newestRecordedSnapshot(file: string | undefined): RunSnapshot | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    for (const dir of listRuns(folder.uri.fsPath)) {
      const snap = readRun(dir);
      if (snap && (file === undefined || snap.info.modelFile === file)) return snap;
    }
  }
  return undefined;
}

async function pickModelDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (isModelDocument(active) || isJsModelDocument(active)) return active;
  const files = await vscode.workspace.findFiles(MODEL_GLOB, '**/{node_modules,.modellab}/**', 200);
  if (files.length === 0) {
    void vscode.window.showInformationMessage('Model Lab: no model files (*.model.yaml, *.model.json) in this workspace.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(files.map((f) => ({ label: vscode.workspace.asRelativePath(f), uri: f })), { placeHolder: 'Which model should train?' });
  return pick && vscode.workspace.openTextDocument(pick.uri);
}
