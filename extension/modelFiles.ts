// What counts as a model file.
import type * as vscode from 'vscode';

export const MODEL_LANGUAGES = ['modellab-yaml', 'modellab-json'];
export const MODEL_SELECTOR: vscode.DocumentSelector = MODEL_LANGUAGES.map((language) => ({ language }));
export const MODEL_GLOB = '**/*.model.{yaml,yml,json}';

export function isModelDocument(doc: vscode.TextDocument | undefined): doc is vscode.TextDocument {
  return !!doc && (MODEL_LANGUAGES.includes(doc.languageId) || /\.model\.(ya?ml|json)$/.test(doc.uri.path));
}

/** `examples/xor.model.yaml` -> `xor`. */
export function modelNameFromPath(path: string): string {
  const base = path.split('/').pop() ?? 'model';
  return base.replace(/\.model\.(ya?ml|json)$/, '') || 'model';
}
