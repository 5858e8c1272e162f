// Completion in YAML model files (`modellab-yaml`), needing no other extension: the logic and the
// vocabulary are in model/completion/completion.ts; this maps its entries to VS Code items.
// JSON model files get theirs from VS Code's JSON support and the generated schema (package.json).
import * as vscode from 'vscode';
import { completeYaml, type CompletionEntry } from '../model/completion/completion';

const KIND: Record<CompletionEntry['kind'], vscode.CompletionItemKind> = {
  layer: vscode.CompletionItemKind.Class,
  key: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.EnumMember,
};

function toItem(e: CompletionEntry): vscode.CompletionItem {
  const item = new vscode.CompletionItem(e.label, KIND[e.kind]);
  if (e.detail) item.detail = e.detail;
  if (e.recommended) {
    item.preselect = true;
    item.sortText = `\0${e.label}`;
  }
  if (e.snippet && e.snippet !== e.label) item.insertText = new vscode.SnippetString(e.snippet);
  return item;
}

export function registerCompletion(): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider({ language: 'modellab-yaml' }, {
    provideCompletionItems(doc, position) {
      return completeYaml(doc.getText(), position.line, position.character).map(toItem);
    },
  }, ':', ' ', '{', ',', '-');
}
