// Model Lab: Copy CLI Command: puts on the clipboard the command line that trains the active model
// file with the CLI inside this installed extension (host/cliCommand.ts builds it).
import * as vscode from 'vscode';
import { cliCommandLine } from '../host/cliCommand';
import { handle } from './commandRegistry';
import { isModelDocument } from './modelFiles';

export function registerCliCommand(extensionPath: string): vscode.Disposable {
  return handle('modelLab.copyCliCommand', async (uri) => {
    const doc = vscode.window.activeTextEditor?.document;
    const file = uri?.fsPath ?? (doc && isModelDocument(doc) ? doc.uri.fsPath : undefined);
    const line = cliCommandLine(extensionPath, file);
    await vscode.env.clipboard.writeText(line);
    void vscode.window.showInformationMessage(`Copied: ${line}. Run it in a terminal (Node 20 or newer); model-lab --help lists every command.`);
    return line;
  });
}
