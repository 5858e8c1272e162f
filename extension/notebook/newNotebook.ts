// "Model Lab: New Experiment Notebook": a .modelnb beside the active model file, with the model as
// its first cell and a patch cell that tries a ten times larger learning rate.
import { existsSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { writeNotebookFile, type NotebookFileCell } from '../../host/notebook/notebookFile';
import { isModelDocument, modelNameFromPath } from '../modelFiles';
import { NOTEBOOK_TYPE } from './serializer';

export async function newExperimentNotebook(uri?: vscode.Uri): Promise<void> {
  const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!isModelDocument(doc) || doc.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('Model Lab: open a model file (*.model.yaml) first; the notebook starts from it.');
    return;
  }
  const name = modelNameFromPath(doc.uri.path);
  const lr = /^\s*learningRate:\s*([0-9.eE+-]+)/m.exec(doc.getText())?.[1];
  const tryLr = lr && Number.isFinite(Number(lr)) ? Number((Number(lr) * 10).toPrecision(3)) : 0.1;
  const cells: NotebookFileCell[] = [
    { kind: 'markdown', source: `# Experiments with ${name}\n\nThe first cell is the whole model; each cell below changes only the keys it lists (a patch on the model above). Run All trains them in order.` },
    { kind: 'model', source: doc.getText().trimEnd(), ...(doc.languageId === 'modellab-json' ? { language: 'modellab-json' as const } : {}) },
    { kind: 'patch', source: `name: ${name}-lr${tryLr}\ntrain:\n  learningRate: ${tryLr}` },
  ];
  const dir = vscode.Uri.joinPath(doc.uri, '..');
  let target = vscode.Uri.joinPath(dir, `${name}-experiments.modelnb`);
  for (let i = 2; existsSync(target.fsPath); i++) target = vscode.Uri.joinPath(dir, `${name}-experiments-${i}.modelnb`);
  writeFileSync(target.fsPath, writeNotebookFile(cells));
  const notebook = await vscode.workspace.openNotebookDocument(target);
  if (notebook.notebookType !== NOTEBOOK_TYPE) throw new Error(`Opened ${target.fsPath} as ${notebook.notebookType}`);
  await vscode.window.showNotebookDocument(notebook);
}
