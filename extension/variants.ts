// Variants in the editor: "try x0.1 / x10" lenses on numeric hyperparameters, "Run sweep (N runs)"
// over a `sweep:` section (with its mistakes as diagnostics), and the commands that queue the runs.
import * as vscode from 'vscode';
import { refuseInRestrictedMode } from './restrictedMode';
import { findHyperParams, formatKeyPath, modelName, scaled, withValues, type KeyPath } from '../model/variants/hyperparams';
import { countRuns, expandSweep, readSweep } from '../model/variants/sweep';
import type { ComparePanels } from './panels/compare';
import { toVscode } from './diagnostics';
import { MODEL_SELECTOR, isModelDocument } from './modelFiles';
import type { RunManager } from './runManager';
import { VariantQueue } from './variantQueue';

const FACTORS = [0.1, 10];

export function registerVariants(runs: RunManager, compare: ComparePanels, log: vscode.LogOutputChannel): vscode.Disposable {
  const queue = new VariantQueue(runs, compare, log);
  const sweepDiagnostics = vscode.languages.createDiagnosticCollection('modelLab.sweep');
  const checkSweep = (doc: vscode.TextDocument) => {
    if (isModelDocument(doc) && doc.languageId === 'modellab-yaml') sweepDiagnostics.set(doc.uri, readSweep(doc.getText()).diagnostics.map(toVscode));
  };
  const lenses: vscode.CodeLensProvider = {
    provideCodeLenses(doc) {
      if (doc.languageId !== 'modellab-yaml' || doc.uri.scheme !== 'file') return [];
      const text = doc.getText();
      const out: vscode.CodeLens[] = [];
      for (const p of findHyperParams(text)) {
        const range = new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character);
        for (const f of FACTORS) {
          const v = scaled(p, f);
          if (v === p.value) continue;
          out.push(new vscode.CodeLens(range, { title: `try ${p.key} ×${f} (${v})`, command: 'modelLab.tryVariant', arguments: [doc.uri, p.path, f], tooltip: `Train a copy with ${formatKeyPath(p.path)}: ${v}; it shows in the compare panel` }));
        }
      }
      const { sweep } = readSweep(text);
      if (sweep) {
        const r = new vscode.Range(sweep.range.start.line, 0, sweep.range.start.line, 0);
        out.push(new vscode.CodeLens(r, { title: `$(run-all) Run sweep (${countRuns(sweep)} runs, ${sweep.parallel} at a time)`, command: 'modelLab.runSweep', arguments: [doc.uri] }));
      }
      return out;
    },
  };
  const trusted = async (): Promise<boolean> => {
    if (vscode.workspace.isTrusted) return true;
    void refuseInRestrictedMode('Model Lab runs variants and sweeps only in a trusted workspace (one click starts many training runs).');
    return false;
  };
  const parallel = () => Math.min(2, vscode.workspace.getConfiguration('modelLab').get<number>('maxConcurrentRuns', 2));
  vscode.workspace.textDocuments.forEach(checkSweep);
  return vscode.Disposable.from(
    queue, sweepDiagnostics,
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, lenses),
    vscode.workspace.onDidOpenTextDocument(checkSweep),
    vscode.workspace.onDidChangeTextDocument((e) => checkSweep(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => sweepDiagnostics.delete(d.uri)),
    vscode.commands.registerCommand('modelLab.tryVariant', async (uri: vscode.Uri, path: KeyPath, factor: number) => {
      if (!(await trusted())) return;
      const doc = await vscode.workspace.openTextDocument(uri);
      const text = doc.getText();
      const p = findHyperParams(text).find((h) => JSON.stringify(h.path) === JSON.stringify(path));
      if (!p) return void vscode.window.showErrorMessage(`Model Lab: ${formatKeyPath(path)} is no longer a number in ${vscode.workspace.asRelativePath(uri)}.`);
      const v = scaled(p, factor);
      const name = `${modelName(text, 'model')}-${p.key}${v}`;
      queue.enqueue(uri, [{ name, source: withValues(text, [{ path, value: v }], name) }], parallel());
    }),
    vscode.commands.registerCommand('modelLab.runSweep', async (uri?: vscode.Uri) => {
      if (!(await trusted())) return;
      const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
      if (!doc || !isModelDocument(doc)) return void vscode.window.showInformationMessage('Model Lab: open a model file with a sweep: section.');
      const { sweep, diagnostics } = readSweep(doc.getText());
      if (!sweep) {
        const first = diagnostics[0];
        return void vscode.window.showErrorMessage(first ? `Model Lab: the sweep has a mistake on line ${first.range.start.line + 1}: ${first.message}` : 'Model Lab: this model file has no sweep: section.');
      }
      const variants = expandSweep(doc.getText(), sweep);
      queue.enqueue(doc.uri, variants, Math.min(sweep.parallel, vscode.workspace.getConfiguration('modelLab').get<number>('maxConcurrentRuns', 2)));
      void vscode.window.showInformationMessage(`Model Lab: sweep of ${variants.length} runs queued, ${sweep.parallel} at a time; they show in the compare panel as they start.`);
    }),
  );
}
