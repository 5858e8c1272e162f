// The model file a panel command works on: the active editor's, and only in a trusted workspace
// when the command reads the data files the model names.
import * as vscode from 'vscode';
import { isModelDocument } from '../modelFiles';
import { refuseInRestrictedMode } from '../restrictedMode';

/** The active model document, or undefined once the user has been told why not (`toDo`: "preview its augmentation"). */
export function activeTrustedModel(toDo: string, refusal: string): vscode.TextDocument | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (!isModelDocument(doc)) {
    void vscode.window.showWarningMessage(`Open a model file (*.model.yaml or *.model.json) to ${toDo}.`);
    return undefined;
  }
  if (!vscode.workspace.isTrusted) {
    void refuseInRestrictedMode(refusal);
    return undefined;
  }
  return doc;
}
