// `*.surface.yaml` files: diagnostics as the user types (from the same parser the panel uses) and
// a CodeLens that opens the file in the optimizer playground.
import * as vscode from 'vscode';
import { parseSurfaceFile } from '../model/surfaceFile';
import { commandLink } from './commandRegistry';
import { debouncedByKey } from './debouncedByKey';
import { toVscode } from './diagnostics';

export const SURFACE_LANGUAGE = 'modellab-surface';
export const SURFACE_GLOB = '**/*.surface.{yaml,yml}';

export function isSurfaceDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (doc.languageId === SURFACE_LANGUAGE || /\.surface\.ya?ml$/.test(doc.uri.path));
}

/** `examples/playground/saddle.surface.yaml` -> `saddle`. */
export function surfaceNameFromPath(path: string): string {
  return (path.split('/').pop() ?? 'surface').replace(/\.surface\.ya?ml$/, '') || 'surface';
}

export function parseSurfaceDocument(doc: vscode.TextDocument): ReturnType<typeof parseSurfaceFile> {
  return parseSurfaceFile(doc.getText(), surfaceNameFromPath(doc.uri.path));
}

export function registerSurfaceFiles(): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('modelLabSurface');
  const refresh = (doc: vscode.TextDocument): void => {
    if (isSurfaceDocument(doc)) collection.set(doc.uri, parseSurfaceDocument(doc).diagnostics.map(toVscode));
  };
  const edits = debouncedByKey((doc: vscode.TextDocument) => doc.uri.toString(), refresh);
  const lenses: vscode.CodeLensProvider = {
    provideCodeLenses: (doc) => [
      new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), commandLink('modelLab.openPlayground', '$(graph-line) Open in Optimizer Playground', [doc.uri])),
    ],
  };
  vscode.workspace.textDocuments.forEach(refresh);
  return vscode.Disposable.from(
    collection,
    vscode.languages.registerCodeLensProvider([{ language: SURFACE_LANGUAGE }, { pattern: SURFACE_GLOB }], lenses),
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => edits.schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => collection.delete(doc.uri)),
    edits,
  );
}
