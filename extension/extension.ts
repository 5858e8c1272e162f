// Entry point of the extension host side. Activation failures are shown to the user, not only logged.
import * as vscode from 'vscode';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerDiagnostics } from './diagnostics';
import { registerLayerHints } from './layerHints';
import { RunManager } from './runManager';
import { registerStatusBar } from './statusBar';
import { TrainingPanels } from './trainingPanel';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Model Lab', { log: true });
  context.subscriptions.push(log);
  try {
    const runs = new RunManager(context.extensionPath, log);
    const panels = new TrainingPanels(context.extensionUri, runs, log);
    context.subscriptions.push(
      runs,
      panels,
      registerCommands(runs, panels),
      registerDiagnostics(),
      registerLayerHints(),
      registerCodeLens(runs),
      registerStatusBar(runs),
    );
    log.info(`Model Lab activated (VS Code ${vscode.version}, ${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI${vscode.env.remoteName ? `, remote ${vscode.env.remoteName}` : ''}).`);
  } catch (e) {
    const err = e as Error;
    log.error(`Activation failed: ${err.stack ?? err.message}`);
    void vscode.window.showErrorMessage(`Model Lab failed to start: ${err.message}`, 'Show Log').then((pick) => pick && log.show());
    throw e;
  }
}

export function deactivate(): void {
  // Runs and panels are disposed through context.subscriptions.
}
