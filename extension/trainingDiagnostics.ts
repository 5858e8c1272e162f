// Training diagnostics in the Problems panel: what the worker found while training (a loss that
// became NaN, divergence, overfitting, dead or saturated units, vanishing gradients, badly scaled
// initial weights), each on the model-file token that causes it. They outlive the run (and a
// window reload: read back from the newest run record), follow their token as the file is edited,
// and are cleared by the edit that answers them (model/language/anchors.ts; for a JavaScript model file,
// whose rule advice comes from the worker too, model/language/jsAnchors.ts).
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { TrainingDiagnostic } from '../protocol/stats';
import { readRecordFile } from '../engine/runs/readRecordFile';
import { listRuns } from '../engine/runs/runStore';
import { anchorRange, fingerprint } from '../model/language/anchors';
import { readDiagnostics } from '../engine/stats/record';
import { jsAnchorRange, jsFingerprint } from '../model/language/jsAnchors';
import { toVscode } from './diagnostics';
import { isJsModelPath } from './jsModelFiles';
import { isModelDocument, MODEL_SELECTOR } from './modelFiles';
import { trainingFixEdits } from '../host/trainingFixEdits';
import { parsedDocument } from './parsedDocuments';
import type { RunManager } from './runManager';

const DEBOUNCE_MS = 200;
/** Run folders looked at, newest first, when a model file opens after a reload. */
const RECORDS_SCANNED = 30;

export function registerTrainingDiagnostics(runs: RunManager): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('modelLab.training');
  const byFile = new Map<string, TrainingDiagnostic[]>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const publish = (file: string): void => {
    const uri = vscode.Uri.file(file);
    const list = byFile.get(file) ?? [];
    collection.set(uri, list.map((d) => {
      const v = toVscode(d);
      v.source = 'Model Lab training';
      return v;
    }));
  };
  /** Re-anchor to the edited text; drop what the edit answered. */
  const reconcile = (doc: vscode.TextDocument): void => {
    const list = byFile.get(doc.uri.fsPath);
    if (!list?.length) return;
    if (isJsModelPath(doc.uri.path)) {
      // A JS model file's diagnostics carry JS paths (model/language/jsAnchors.ts): found in the text, never by running it.
      const text = doc.getText();
      byFile.set(doc.uri.fsPath, list.filter((d) => d.answered === undefined || jsFingerprint(text, d.answers) === d.answered)
        .map((d) => ({ ...d, range: jsAnchorRange(text, d.anchor) })));
      publish(doc.uri.fsPath);
      return;
    }
    const root = parsedDocument(doc).tree.root;
    if (!root) return; // a syntax error mid-edit answers nothing
    const kept = list.filter((d) => d.answered === undefined || fingerprint(root, d.answers) === d.answered)
      .map((d) => ({ ...d, range: anchorRange(root, d.anchor) }));
    byFile.set(doc.uri.fsPath, kept);
    publish(doc.uri.fsPath);
  };
  const set = (file: string, list: TrainingDiagnostic[]): void => {
    byFile.set(file, list);
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (doc) reconcile(doc);
    else publish(file);
  };
  const restore = (doc: vscode.TextDocument): void => {
    const isModelFile = isJsModelPath(doc.uri.path) || isModelDocument(doc);
    if (!isModelFile || doc.uri.scheme !== 'file' || byFile.has(doc.uri.fsPath)) return;
    const dir = newestRecordOf(doc.uri);
    byFile.set(doc.uri.fsPath, dir ? readDiagnostics(dir) : []);
    reconcile(doc);
  };

  const subscriptions: vscode.Disposable[] = [];
  const watch = (run: Parameters<Parameters<RunManager['onDidStartRun']>[0]>[0]): void => {
    const file = run.snapshot.info.modelFile;
    if (!file) return;
    set(file, []); // a new run is new evidence: the last run's findings go
    const sub = run.inside.onDidChange((e) => {
      if (e.type === 'diagnostics') set(file, e.list);
    });
    subscriptions.push(new vscode.Disposable(() => sub.dispose()));
  };

  /** The quick fix a training diagnostic carries (batch normalization's momentum, say), as a code action. */
  const fixes: vscode.CodeActionProvider = {
    provideCodeActions(doc, _range, context) {
      const list = byFile.get(doc.uri.fsPath) ?? [];
      const spec = parsedDocument(doc).full.spec;
      if (!spec) return [];
      return context.diagnostics.filter((d) => d.source === 'Model Lab training').flatMap((diag) => {
        const code = typeof diag.code === 'object' ? diag.code.value : diag.code;
        const found = list.find((t) => t.fix && t.code === code && t.range.start.line === diag.range.start.line && t.range.start.character === diag.range.start.character);
        const edits = found?.fix && trainingFixEdits(spec, doc.getText(), found.fix);
        if (!found?.fix || !edits) return [];
        const action = new vscode.CodeAction(found.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = new vscode.WorkspaceEdit();
        for (const e of edits) action.edit.replace(doc.uri, new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
        action.diagnostics = [diag];
        action.isPreferred = true;
        return [action];
      });
    },
  };

  vscode.workspace.textDocuments.forEach(restore);
  return vscode.Disposable.from(
    collection,
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, fixes, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    runs.onDidStartRun(watch),
    vscode.workspace.onDidOpenTextDocument(restore),
    vscode.workspace.onDidChangeTextDocument((e) => {
      const key = e.document.uri.fsPath;
      if (!byFile.get(key)?.length) return;
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => {
        timers.delete(key);
        reconcile(e.document);
      }, DEBOUNCE_MS));
    }),
    { dispose: () => { timers.forEach((t) => clearTimeout(t)); subscriptions.forEach((s) => s.dispose()); } },
  );
}

/** The newest run record of a model file in its workspace folder. */
function newestRecordOf(uri: vscode.Uri): string | undefined {
  const root = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath;
  if (!root) return undefined;
  for (const dir of listRuns(root).slice(0, RECORDS_SCANNED)) {
    try {
      const info = JSON.parse(readRecordFile(join(dir, 'run.json'), 2 ** 20) ?? '') as { modelFile?: unknown };
      if (info.modelFile === uri.fsPath) return dir;
    } catch {
      /* a damaged record: look further */
    }
  }
  return undefined;
}
