// Quick fixes for the rules' diagnostics (Ctrl+. or the light bulb), and an "Explain" action that
// opens the rule's doc. Fixes come from model/rules/ as text edits, found in the version's one parse
// (extension/parsedDocuments.ts) because VS Code hands providers copies of the diagnostics, without
// the data attached when they were made.
import * as vscode from 'vscode';
import { ruleDoc } from '../model/rules';
import { commandLink, handle } from './commandRegistry';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import { MODEL_SELECTOR } from './modelFiles';
import { parsedDocument } from './parsedDocuments';
import { ruleDocUri } from './ruleDocs';


const codeOf = (d: vscode.Diagnostic): string | undefined => {
  const c = d.code;
  return typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
};

const toRange = (r: SpecDiagnostic['range']): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

export function provideRuleActions(doc: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const ours = context.diagnostics.filter((d) => d.source === 'Model Lab');
  if (!ours.length) return actions;
  // The diagnostics the editor shows for this version, with their fixes.
  const specs = parsedDocument(doc).diagnostics;
  for (const diag of ours) {
    const code = codeOf(diag);
    if (!code) continue;
    const spec = specs.find((s) => s.code === code && toRange(s.range).isEqual(diag.range));
    for (const fix of spec?.fixes ?? []) {
      const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
      const edit = new vscode.WorkspaceEdit();
      for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
      action.edit = edit;
      action.diagnostics = [diag];
      action.isPreferred = fix.preferred === true;
      actions.push(action);
    }
    const docInfo = ruleDoc(code);
    if (docInfo) {
      const explain = new vscode.CodeAction(`Explain ${code}: ${docInfo.title}`, vscode.CodeActionKind.QuickFix);
      explain.command = commandLink('modelLab.explainRule', explain.title, [code]);
      explain.diagnostics = [diag];
      actions.push(explain);
    }
  }
  return actions;
}

async function explainRule(code: unknown): Promise<void> {
  const uri = typeof code === 'string' ? ruleDocUri(code) : undefined;
  if (!uri) {
    void vscode.window.showWarningMessage(`Model Lab has no rule '${String(code)}'.`);
    return;
  }
  try {
    // The built-in Markdown preview renders the doc; without it (disabled), open the text.
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  } catch {
    await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true });
  }
}

export function registerCodeActions(): vscode.Disposable {
  return vscode.Disposable.from(
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, { provideCodeActions: (doc, _range, context) => provideRuleActions(doc, context) }, {
      providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
    }),
    handle('modelLab.explainRule', explainRule),
  );
}
