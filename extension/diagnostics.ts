// Diagnostics for model files, updated as the user types (debounced), from the same parser the
// worker and the CLI use.
import * as vscode from 'vscode';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import { editorDiagnostics } from '../model/language/architecture';
import { isModelDocument, modelNameFromPath } from './modelFiles';
import { diagnosticCode } from './ruleDocs';
import { restrictedModeDiagnostics } from './trustDiagnostics';

const DEBOUNCE_MS = 150;

export function registerDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('modelLab');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const refresh = (doc: vscode.TextDocument): void => {
    if (!isModelDocument(doc)) return;
    // An architecture file (model section only) is checked like `model-lab summary` checks it.
    const diagnostics = editorDiagnostics(doc.getText(), { defaultName: modelNameFromPath(doc.uri.path), defaultSeed: 0, ...(doc.uri.scheme === 'file' ? { modelFile: doc.uri.fsPath } : {}) });
    collection.set(doc.uri, [...diagnostics, ...restrictedModeDiagnostics(doc)].map(toVscode));
  };
  const schedule = (doc: vscode.TextDocument): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(key, setTimeout(() => {
      timers.delete(key);
      refresh(doc);
    }, DEBOUNCE_MS));
  };

  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    // Restricted Mode's refusals go once the user trusts the workspace.
    vscode.workspace.onDidGrantWorkspaceTrust(() => vscode.workspace.textDocuments.forEach(refresh)),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}

export function toVscode(d: SpecDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, d.message, severity);
  diagnostic.source = 'Model Lab';
  diagnostic.code = diagnosticCode(d.code);
  return diagnostic;
}
