// The engine on the model file's own lines: a file that trains on PyTorch gets an error on its
// `engine:` line when no Python with torch can run it (with the install command, and a "Choose
// Python interpreter" action), or, in Restricted Mode, when it may not run one (with "Manage
// Workspace Trust"). Looked up asynchronously with the data files (extension/diagnostics.ts).
import * as vscode from 'vscode';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import type { ModelSpec } from '../model/language/model';
import { chooseEngine, PYTORCH_UNAVAILABLE, PYTORCH_UNTRUSTED, torchProblem, untrustedProblem } from '../host/engines/engineChoice';
import { checkTorch } from '../host/engines/python';
import { choosePythonInterpreter, hasPythonExtension, pythonFor } from './pythonInterpreter';
import { MODEL_SELECTOR } from './modelFiles';
import { commandLink, handle } from './commandRegistry';
import { MANAGE_TRUST } from './restrictedMode';

export function trainsOnPytorch(spec: ModelSpec | undefined, resource?: vscode.Uri): spec is ModelSpec {
  return !!spec && chooseEngine(spec, vscode.workspace.getConfiguration('modelLab', resource).get<string>('engine', 'tfjs')) === 'pytorch';
}

/** Why this model cannot train on PyTorch here, or undefined when it can (or trains on tfjs). */
export async function engineProblem(spec: ModelSpec | undefined, resource: vscode.Uri | undefined): Promise<SpecDiagnostic | undefined> {
  if (!trainsOnPytorch(spec, resource)) return undefined;
  if (!vscode.workspace.isTrusted) return untrustedProblem(spec);
  return torchProblem(spec, await checkTorch((await pythonFor(resource)).path));
}

export function registerEngineActions(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, {
      provideCodeActions(_doc, _range, context) {
        const actions: vscode.CodeAction[] = [];
        for (const diag of context.diagnostics) {
          const code = typeof diag.code === 'object' ? String(diag.code.value) : String(diag.code);
          if (diag.source !== 'Model Lab' || (code !== PYTORCH_UNAVAILABLE && code !== PYTORCH_UNTRUSTED)) continue;
          const untrusted = code === PYTORCH_UNTRUSTED;
          const title = untrusted ? MANAGE_TRUST : hasPythonExtension() ? 'Choose Python interpreter' : 'Choose Python interpreter (modelLab.pythonPath)';
          const action = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
          action.command = untrusted ? { title, command: 'workbench.trust.manage' } : commandLink('modelLab.choosePythonInterpreter', title, []);
          action.diagnostics = [diag];
          action.isPreferred = true;
          actions.push(action);
        }
        return actions;
      },
    }, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    handle('modelLab.choosePythonInterpreter', choosePythonInterpreter),
  );
}
