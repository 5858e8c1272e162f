// Variants in the editor: each numeric hyperparameter at x0.1 / x10 from its hover, its light bulb
// and one "Try a variant…" lens at the top, "Run sweep (N runs)"
// over a `sweep:` section (with its mistakes as diagnostics), and the commands that queue the runs.
import * as vscode from 'vscode';
import { commandLink, handle } from './commandRegistry';
import { refuseInRestrictedMode } from './restrictedMode';
import { findHyperParams, formatKeyPath } from '../model/variants/hyperparams';
import { variantCandidates, type VariantCandidate } from '../model/variants/candidates';
import { countRuns, expandSweep, readSweep } from '../model/variants/sweep';
import type { ComparePanels } from './panels/compare';
import { toVscode } from './diagnostics';
import { MODEL_SELECTOR, isModelDocument } from './modelFiles';
import type { RunManager } from './runManager';
import { VariantQueue } from './variantQueue';

/** Where the variant actions sit in the light bulb: a refactoring of the file into a new run. */
const VARIANT_ACTION = vscode.CodeActionKind.Refactor.append('modelLab.variant');

export function registerVariants(runs: RunManager, compare: ComparePanels, log: vscode.LogOutputChannel): vscode.Disposable {
  const queue = new VariantQueue(runs, compare, log);
  const sweepDiagnostics = vscode.languages.createDiagnosticCollection('modelLab.sweep');
  const checkSweep = (doc: vscode.TextDocument) => {
    if (isModelDocument(doc) && doc.languageId === 'modellab-yaml') sweepDiagnostics.set(doc.uri, readSweep(doc.getText()).diagnostics.map(toVscode));
  };
  // One lens at the top (not one per number, which pushed the model apart); the variants of each
  // number are in its hover and its light bulb, and the lens lists them all.
  const lenses: vscode.CodeLensProvider = {
    provideCodeLenses(doc) {
      if (doc.languageId !== 'modellab-yaml' || doc.uri.scheme !== 'file') return [];
      const text = doc.getText();
      const out: vscode.CodeLens[] = [];
      const top = new vscode.Range(0, 0, 0, 0);
      if (findHyperParams(text).length) out.push(new vscode.CodeLens(top, commandLink('modelLab.tryVariant', '$(beaker) Try a variant…', [doc.uri], 'Train a copy with one number at ×0.1 or ×10; it shows in the compare panel (also in the hover and light bulb of each number)')));
      const { sweep } = readSweep(text);
      if (sweep) {
        const r = new vscode.Range(sweep.range.start.line, 0, sweep.range.start.line, 0);
        out.push(new vscode.CodeLens(r, commandLink('modelLab.runSweep', `$(run-all) Run sweep (${countRuns(sweep)} runs, ${sweep.parallel} at a time)`, [doc.uri])));
      }
      return out;
    },
  };
  const at = (doc: vscode.TextDocument, position: vscode.Position): VariantCandidate[] =>
    doc.languageId === 'modellab-yaml' && doc.uri.scheme === 'file' ? variantCandidates(doc.getText(), { line: position.line, character: position.character }) : [];
  const actions: vscode.CodeActionProvider = {
    provideCodeActions(doc, range) {
      return at(doc, range.start).map((c) => {
        const action = new vscode.CodeAction(`Try ${c.key} ×${c.factor} (${c.value}) in a variant run`, VARIANT_ACTION);
        action.command = commandLink('modelLab.tryVariant', action.title, [doc.uri, c.path, c.factor]);
        return action;
      });
    },
  };
  const hovers: vscode.HoverProvider = {
    provideHover(doc, position) {
      const offers = at(doc, position);
      const first = offers[0];
      if (!first) return undefined;
      const links = offers.map((c) => `[×${c.factor} (${c.value})](command:modelLab.tryVariant?${encodeURIComponent(JSON.stringify([doc.uri.toString(), c.path, c.factor]))} "Train a copy with ${formatKeyPath(c.path)}: ${c.value}")`);
      const md = new vscode.MarkdownString(`Try a variant run of ${first.key}: ${links.join(' · ')} (it shows in the compare panel)`);
      md.isTrusted = { enabledCommands: ['modelLab.tryVariant'] };
      const r = first.range;
      return new vscode.Hover(md, new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character));
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
    vscode.languages.registerCodeActionsProvider(MODEL_SELECTOR, actions, { providedCodeActionKinds: [VARIANT_ACTION] }),
    vscode.languages.registerHoverProvider(MODEL_SELECTOR, hovers),
    vscode.workspace.onDidOpenTextDocument(checkSweep),
    vscode.workspace.onDidChangeTextDocument((e) => checkSweep(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => sweepDiagnostics.delete(d.uri)),
    handle('modelLab.tryVariant', async (target, path, factor) => {
      if (!(await trusted())) return;
      // A hover's command link passes the file as a string (its arguments travel as JSON).
      const uri = typeof target === 'string' ? vscode.Uri.parse(target) : target;
      const doc = await vscode.workspace.openTextDocument(uri);
      const offers = variantCandidates(doc.getText());
      let chosen = path && offers.find((c) => JSON.stringify(c.path) === JSON.stringify(path) && c.factor === factor);
      if (path && !chosen) return void vscode.window.showErrorMessage(`Model Lab: ${formatKeyPath(path)} ×${factor} is no longer a valid variant of ${vscode.workspace.asRelativePath(uri)}.`);
      if (!chosen) {
        const pick = await vscode.window.showQuickPick(offers.map((c) => ({ label: `${c.key} ×${c.factor}`, description: `${formatKeyPath(c.path)}: ${c.value}`, c })), { title: 'Try a variant', placeHolder: 'Train a copy with one number changed' });
        chosen = pick?.c;
      }
      if (!chosen) return;
      queue.enqueue(uri, [{ name: chosen.name, source: chosen.source }], parallel());
    }),
    handle('modelLab.runSweep', async (uri) => {
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
