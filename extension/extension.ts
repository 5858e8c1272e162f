// Entry point of the extension host side. Activation failures are shown to the user, not only logged.
import * as vscode from 'vscode';
import { registerCodeActions } from './codeActions';
import { registerEngineActions } from './engineDiagnostics';
import { registerEngineHover } from './engineHover';
import { registerCodeLens } from './codeLens';
import { registerCommands } from './commands';
import { registerCliCommand } from './cliCommand';
import { registerCompletion } from './completion';
import { registerDiagnostics } from './diagnostics';
import { registerExportCommands } from './exportCommands';
import { registerLayerHints } from './layerHints';
import { registerParsedDocuments } from './parsedDocuments';
import { registerScheduleHover } from './scheduleHover';
import { LrFinderPanels } from './panels/lrFinder';
import { AugmentPreviewPanels } from './panels/augmentPreview';
import { PlaygroundPanels } from './panels/playground';
import { ConvolutionPanels } from './panels/convolution';
import { registerNotebookControllers } from './notebook/controller';
import { registerNotebookSerializer } from './notebook/serializer';
import { initRuleDocs } from './ruleDocs';
import { RunManager } from './runManager';
import { registerRunsView } from './runsCommands';
import { registerStatusBar } from './statusBar';
import { registerSurfaceFiles } from './surfaceFiles';
import { TrainingPanels } from './panels/training';
import { registerTrainingDiagnostics } from './trainingDiagnostics';
import { InsidePanels } from './panels/inside';
import { registerBenchProbe } from './benchProbe';
import { registerCommandTable, unhandledCommands } from './commandRegistry';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Model Lab', { log: true });
  context.subscriptions.push(log);
  try {
    initRuleDocs(context.extensionUri);
    const runs = new RunManager(context.extensionPath, log);
    const panels = new TrainingPanels(context.extensionUri, runs, log);
    context.subscriptions.push(
      runs,
      panels,
      registerCommands(runs, panels),
      registerCliCommand(context.extensionPath),
      registerParsedDocuments(),
      registerDiagnostics(),
      registerLayerHints(),
      registerScheduleHover(),
      new LrFinderPanels(context.extensionUri, context.extensionPath, log),
      new AugmentPreviewPanels(context.extensionUri, context.extensionPath, log),
      registerCodeActions(),
      registerEngineActions(),
      registerEngineHover(),
      registerCompletion(),
      registerCodeLens(runs),
      registerStatusBar(runs),
      registerTrainingDiagnostics(runs),
      new InsidePanels(context.extensionUri, runs, log),
      new PlaygroundPanels(context.extensionUri, log),
      new ConvolutionPanels(context.extensionUri, log),
      registerSurfaceFiles(),
      registerNotebookSerializer(log),
      registerNotebookControllers(runs),
      registerRunsView(context.extensionUri, runs, panels, log),
      registerExportCommands(log),
      registerBenchProbe(log),
      // Every command of commandTable.ts, registered once; the features above gave their handlers.
      registerCommandTable(),
    );
    const unhandled = unhandledCommands();
    if (unhandled.length) throw new Error(`no handler for the command${unhandled.length === 1 ? '' : 's'} ${unhandled.join(', ')}`);
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
