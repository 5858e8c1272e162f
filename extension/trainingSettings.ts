// The settings every training worker starts with, read where a run starts (Train Model, a notebook
// cell, a variant, Find Learning Rate) so that all runs train alike.
import * as vscode from 'vscode';
import type { RunStart } from '../host/trainingRun';

export function trainingSettings(): Pick<RunStart, 'backend' | 'lowerPriority'> {
  const config = vscode.workspace.getConfiguration('modelLab');
  return {
    backend: config.get<'auto' | 'wasm' | 'cpu'>('backend', 'auto'),
    lowerPriority: config.get<boolean>('trainBelowEditorPriority', true),
  };
}
