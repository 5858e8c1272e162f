// "▶ Train" at the top of every model file (or "■ Stop" while it trains).
import * as vscode from 'vscode';
import { commandLink } from './commandRegistry';
import { MODEL_SELECTOR } from './modelFiles';
import { parsedDocument } from './parsedDocuments';
import type { RunManager } from './runManager';

export function registerCodeLens(runs: RunManager): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const top = new vscode.Range(0, 0, 0, 0);
      const training = runs.activeRuns.some((r) => r.snapshot.info.modelFile === doc.uri.fsPath);
      // An architecture file (model section only) is for counting: say why it has no Train lens.
      if (!training && parsedDocument(doc).isArchitecture) return [new vscode.CodeLens(top, { title: '$(info) Architecture file: training needs data and train sections', command: '' })];
      const lenses = [
        training
          ? new vscode.CodeLens(top, commandLink('modelLab.stop', '$(debug-stop) Stop training', [doc.uri]))
          : new vscode.CodeLens(top, commandLink('modelLab.train', '$(play) Train', [doc.uri])),
      ];
      const latest = runs.latestFor(doc.uri.fsPath);
      if (latest) lenses.push(new vscode.CodeLens(top, commandLink('modelLab.showPanel', 'Show training panel', [doc.uri])));
      return lenses;
    },
  };
  let lastActive = 0;
  return vscode.Disposable.from(
    changed,
    vscode.languages.registerCodeLensProvider(MODEL_SELECTOR, provider),
    runs.onDidChangeRun(() => {
      // Lenses only change when a run starts or ends, not on every progress message.
      if (runs.activeRuns.length !== lastActive) changed.fire();
      lastActive = runs.activeRuns.length;
    }),
  );
}
