// JavaScript model files (*.model.js / .mjs / .cjs) on the host side. The host never loads them:
// it only checks that the workspace is trusted and hands the text to a training worker
// (worker/jsModel.ts), which runs the file's model(tf) and reports back. Until the worker says
// what the file builds, the run shows placeholders (name from the file name, epochs 0).
import * as vscode from 'vscode';
import { JS_MODEL_PATTERN } from '../model/language/jsModel';
import type { ModelSpec } from '../model/language/model';
import type { ParseResult } from '../model/language/parse';
import { parseSource } from '../model/language/source';

export const isJsModelPath = (path: string): boolean => JS_MODEL_PATTERN.test(path);

export function isJsModelDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && isJsModelPath(doc.uri.path);
}

export const JS_TRUST_MESSAGE =
  'Model Lab runs a JavaScript model file\'s code (its model(tf) function) to build the network, so it does so only in a trusted workspace. ' +
  'Trust this folder with "Manage Workspace Trust" if you wrote or checked the file, then train again.';

/** What the run manager needs before the worker has loaded the file. */
export function jsPlaceholder(uri: vscode.Uri): ParseResult & { spec: ModelSpec } {
  const name = (uri.path.split('/').pop() ?? 'model').replace(JS_MODEL_PATTERN, '') || 'model';
  const source = parseSource('{}').root ?? { kind: 'map' as const, entries: [], range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
  const spec: ModelSpec = {
    name,
    data: { dataset: 'javascript', samples: 0, noise: 0, validationSplit: 0, seed: 0, classes: 0 },
    model: { input: [], layers: [] },
    train: { loss: 'meanSquaredError', optimizer: { name: 'adam', options: {} }, learningRate: 0, batchSize: 0, epochs: 0, metrics: [], seed: 0 },
    source,
  };
  return { spec, diagnostics: [] };
}

/** Offers the trust editor after explaining why a JS model file needs it. */
export async function refuseUntrustedJs(): Promise<void> {
  const manage = 'Manage Workspace Trust';
  const pick = await vscode.window.showWarningMessage(JS_TRUST_MESSAGE, manage);
  if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
}
