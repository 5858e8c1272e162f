// Each rule's explanation ships as a Markdown file (dist/rules/<code>.md, written by the build from
// model/rules/). A diagnostic's code links to it, so clicking the code in the Problems panel or the
// hover opens the explanation; the "Explain" code action opens it as a rendered preview.
import * as vscode from 'vscode';
import { ruleDoc } from '../model/rules';

let root: vscode.Uri | undefined;

export function initRuleDocs(extensionUri: vscode.Uri): void {
  root = extensionUri;
}

export function ruleDocUri(code: string): vscode.Uri | undefined {
  return root && ruleDoc(code) ? vscode.Uri.joinPath(root, 'dist', 'rules', `${code}.md`) : undefined;
}

/** The value for vscode.Diagnostic.code: a link to the rule's doc when there is one. */
export function diagnosticCode(code: string): vscode.Diagnostic['code'] {
  const target = ruleDocUri(code);
  return target ? { value: code, target } : code;
}
