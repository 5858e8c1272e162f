// Architecture files: a model file with a `model` section and neither `data` nor `train` (AlexNet or
// VGG at 224x224, for counting, not for training here). The editor checks them as the summary
// does, so they get shapes, counts and shape errors but no "needs a data section" errors.
import type { SpecDiagnostic } from './diagnostic';
import { parseModelSectionTree, parseModelTree, type ParseOptions } from './parse';
import { entry, parseSource, type SrcNode } from './source';

export function isArchitectureFile(text: string): boolean {
  return isArchitectureTree(parseSource(text).root);
}

export function isArchitectureTree(root: SrcNode | undefined): boolean {
  return !!root && root.kind === 'map' && !!entry(root, 'model') && !entry(root, 'data') && !entry(root, 'train');
}

/**
 * The diagnostics the editor shows: the model section's alone for an architecture file, else the
 * full file's (the editor's own copy, parsed once per version, is model/language/modelDocument.ts).
 */
export function editorDiagnostics(text: string, options: ParseOptions): SpecDiagnostic[] {
  const tree = parseSource(text);
  return isArchitectureTree(tree.root) ? parseModelSectionTree(tree, text).diagnostics : parseModelTree(tree, text, options).diagnostics;
}
