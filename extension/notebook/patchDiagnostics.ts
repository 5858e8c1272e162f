// Diagnostics on a Model Lab notebook's patch cells (plain YAML editors, so the model language's
// own diagnostics never see them): each patch is checked merged onto the model above it and the
// findings are put on the patch's own keys (host/notebook/patchDiagnostics.ts). Any cell edit
// re-checks the whole notebook, since a model cell's change shows up in the patches below it.
import * as vscode from 'vscode';
import { kindOfLanguage } from '../../host/notebook/notebookFile';
import { patchCellDiagnostics } from '../../host/notebook/patchDiagnostics';
import type { SpecDiagnostic } from '../../model/language/diagnostic';
import { debouncedByKey } from '../debouncedByKey';
import { toVscode } from '../diagnostics';
import { NOTEBOOK_TYPE } from './serializer';

const toRange = (r: SpecDiagnostic['range']): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
const codeOf = (d: vscode.Diagnostic): string | undefined => {
  const c = d.code;
  return typeof c === 'object' ? String(c.value) : c === undefined ? undefined : String(c);
};

export function registerPatchDiagnostics(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('modelLab.patches');
  /** The diagnostics last published per patch cell (their fixes back the quick fixes). */
  const byCell = new Map<string, SpecDiagnostic[]>();

  const refresh = (nb: vscode.NotebookDocument): void => {
    if (nb.notebookType !== NOTEBOOK_TYPE || nb.isClosed) return;
    const cells = nb.getCells();
    const inputs = cells.map((c) => ({ kind: kindOfLanguage(c.document.languageId, c.kind === vscode.NotebookCellKind.Markup).kind, source: c.document.getText() }));
    const lists = patchCellDiagnostics(inputs);
    cells.forEach((c, i) => {
      const key = c.document.uri.toString();
      const list = lists[i];
      if (list) {
        byCell.set(key, list);
        collection.set(c.document.uri, list.map(toVscode));
      } else if (byCell.delete(key)) collection.delete(c.document.uri);
    });
  };
  const edits = debouncedByKey((nb: vscode.NotebookDocument) => nb.uri.toString(), refresh);
  const notebookOf = (doc: vscode.TextDocument): vscode.NotebookDocument | undefined =>
    doc.uri.scheme === 'vscode-notebook-cell' ? vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document === doc)) : undefined;
  const forget = (nb: vscode.NotebookDocument): void => {
    for (const c of nb.getCells()) if (byCell.delete(c.document.uri.toString())) collection.delete(c.document.uri);
  };

  const fixes: vscode.CodeActionProvider = {
    provideCodeActions: (doc, _range, context) => {
      const list = byCell.get(doc.uri.toString()) ?? [];
      return context.diagnostics.flatMap((diag) => {
        const spec = list.find((s) => s.code === codeOf(diag) && toRange(s.range).isEqual(diag.range));
        return (spec?.fixes ?? []).map((fix) => {
          const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
          action.edit = new vscode.WorkspaceEdit();
          for (const e of fix.edits) action.edit.replace(doc.uri, toRange(e.range), e.newText);
          action.diagnostics = [diag];
          action.isPreferred = fix.preferred === true;
          return action;
        });
      });
    },
  };

  vscode.workspace.notebookDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.languages.registerCodeActionsProvider({ notebookType: NOTEBOOK_TYPE, language: 'yaml' }, fixes, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.workspace.onDidOpenNotebookDocument(refresh),
    vscode.workspace.onDidChangeNotebookDocument((e) => edits.schedule(e.notebook)),
    // A cell's text or language changing (a model cell turned into a patch) reaches us as its document.
    vscode.workspace.onDidChangeTextDocument((e) => {
      const nb = notebookOf(e.document);
      if (nb) edits.schedule(nb);
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      const nb = notebookOf(doc);
      if (nb) edits.schedule(nb);
    }),
    vscode.workspace.onDidCloseNotebookDocument(forget),
    edits,
  );
}
