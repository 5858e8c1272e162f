// Restricted Mode on the model file's own lines: a data path that leaves the workspace gets an
// error on its key, in the words Train refuses it with (model/language/trust.ts), so the user sees why
// and how to trust before pressing Train. Trusted workspaces get nothing from here. Where each path
// really is (symlinks resolved) is looked up asynchronously (engine/data/trustedData.ts).
import * as vscode from 'vscode';
import { untrustedDataRefusal } from '../engine/data/trustedData';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import type { ModelSpec } from '../model/language/model';

export const UNTRUSTED_DATA_CODE = 'untrusted-data';

/** Whether restrictedModeDiagnostics has anything to look at for this document. */
export function restrictedModeApplies(doc: vscode.TextDocument, spec: ModelSpec | undefined): spec is ModelSpec {
  return !vscode.workspace.isTrusted && doc.uri.scheme === 'file' && !!spec;
}

/** `spec`: the document's model as parsed (extension/parsedDocuments.ts), undefined when it has errors. */
export async function restrictedModeDiagnostics(doc: vscode.TextDocument, spec: ModelSpec | undefined): Promise<SpecDiagnostic[]> {
  if (!restrictedModeApplies(doc, spec)) return [];
  const roots = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  const refusal = await untrustedDataRefusal(spec, doc.uri.fsPath, roots);
  if (!refusal) return [];
  const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return [{ severity: 'error', message: refusal.message, range: refusal.range ?? top, code: UNTRUSTED_DATA_CODE }];
}
