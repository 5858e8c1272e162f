// Diagnostics for model files, updated as the user types (debounced), from the same parser the
// worker and the CLI use: the document version's one parse (extension/parsedDocuments.ts), then
// what needs the disk (the data files it names, engine/data/dataFiles.ts; where they really are, in
// Restricted Mode), looked at asynchronously and merged in when done.
import * as vscode from 'vscode';
import { checkDataFiles } from '../engine/data/dataFiles';
import { DiskFindings } from '../host/diskFindings';
import type { DataToCheck } from '../model/language/dataShape';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import type { ModelDocument } from '../model/language/modelDocument';
import { debouncedByKey } from './debouncedByKey';
import { isModelDocument } from './modelFiles';
import { parsedDocument } from './parsedDocuments';
import { diagnosticCode } from './ruleDocs';
import { restrictedModeApplies, restrictedModeDiagnostics } from './trustDiagnostics';
import { engineProblem, trainsOnPytorch } from './engineDiagnostics';
import { onPythonChange } from './pythonInterpreter';

export function registerDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('modelLab');
  /** The parse's diagnostics, then the data files', then Restricted Mode's (the order they always came in). */
  const findings = new DiskFindings<vscode.TextDocument, SpecDiagnostic>(
    (doc) => ({ key: doc.uri.toString(), version: doc.version, closed: doc.isClosed }),
    (doc, fromDisk) => collection.set(doc.uri, [...parsedDocument(doc).diagnostics, ...fromDisk].map(toVscode)),
  );
  const refresh = (doc: vscode.TextDocument): void => {
    if (!isModelDocument(doc)) return;
    // An architecture file (model section only) is checked like `model-lab summary` checks it.
    const parsed = parsedDocument(doc);
    const toCheck = doc.uri.scheme === 'file' && !parsed.isArchitecture ? parsed.full.dataToCheck : undefined;
    const needsDisk = toCheck || restrictedModeApplies(doc, parsed.full.spec) || trainsOnPytorch(parsed.full.spec, doc.uri);
    // The disk is looked at off the editor's thread; what it finds is merged in when known.
    void findings.update(doc, needsDisk ? () => fromDisk(doc, parsed, toCheck) : undefined);
  };
  const edits = debouncedByKey((doc: vscode.TextDocument) => doc.uri.toString(), refresh);
  const pythonChanges = onPythonChange(() => vscode.workspace.textDocuments.forEach(refresh));

  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => edits.schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      findings.forget(doc.uri.toString());
      collection.delete(doc.uri);
    }),
    // Restricted Mode's refusals go once the user trusts the workspace (none is kept on screen meanwhile).
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      findings.clear();
      vscode.workspace.textDocuments.forEach(refresh);
    }),
    // Another engine or interpreter: the engine line is looked at again.
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('modelLab.engine') || e.affectsConfiguration('modelLab.pythonPath')) vscode.workspace.textDocuments.forEach(refresh);
    }),
    pythonChanges,
    {
      dispose: () => {
        findings.dispose();
        edits.dispose();
      },
    },
  );
}

async function fromDisk(doc: vscode.TextDocument, parsed: ModelDocument, toCheck: DataToCheck | undefined): Promise<SpecDiagnostic[]> {
  const data = toCheck ? await checkDataFiles(toCheck, doc.uri.fsPath) : [];
  // A data file in error leaves no model to judge, as a parse error does.
  const spec = data.some((d) => d.severity === 'error') ? undefined : parsed.full.spec;
  const engine = await engineProblem(spec, doc.uri);
  return [...data, ...(await restrictedModeDiagnostics(doc, spec)), ...(engine ? [engine] : [])];
}

export function toVscode(d: SpecDiagnostic): vscode.Diagnostic {
  const range = new vscode.Range(d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character);
  const severity = d.severity === 'error' ? vscode.DiagnosticSeverity.Error : d.severity === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
  const diagnostic = new vscode.Diagnostic(range, d.message, severity);
  diagnostic.source = 'Model Lab';
  diagnostic.code = diagnosticCode(d.code);
  return diagnostic;
}
