// Quick fixes for the rules' diagnostics (Ctrl+. or the light bulb), and an "Explain" action that
// opens the rule's doc. Fixes come from model/rules/ as text edits; the document is re-parsed here
// (cheap, cached per version) because VS Code hands providers copies of the diagnostics, without
// the data attached when they were made.
import * as vscode from 'vscode';
import { ruleDoc } from '../model/rules';
import { commandLink, handle } from './commandRegistry';
import type { SpecDiagnostic } from '../model/language/diagnostic';
import { parseModel } from '../model/language/parse';
import { MODEL_SELECTOR, modelNameFromPath } from './modelFiles';
import { ruleDocUri } from './ruleDocs';

const cache = new WeakMap<vscode.TextDocument, { version: number; diagnostics: SpecDiagnostic[] }>();

function diagnosticsOf(doc: vscode.TextDocument): SpecDiagnostic[] {
  const hit = cache.get(doc);
  if (hit?.version === doc.version) return hit.diagnostics;
  const { diagnostics } = parseModel(doc.getText(), { defaultName: modelNameFromPath(doc.uri.path), defaultSeed: 0 });
  cache.set(doc, { version: doc.version, diagnostics });
  return diagnostics;
}

const codeOf = (d: vscode.Diagnostic): string | undefined => {
  const c = d.code;
  return typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
};

const toRange = (r: SpecDiagnostic['range']): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

export function provideRuleActions(doc: vscode.TextDocument, context: vscode.CodeActionContext): vscode.CodeAction[] {
  const actions: vscode.CodeAction[] = [];
  const ours = context.diagnostics.filter((d) => d.source === 'Model Lab');
  if (!ours.length) return actions;
  const specs = diagnosticsOf(doc);
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
