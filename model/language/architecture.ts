// Architecture files: a model file with a `model` section and neither `data` nor `train` (AlexNet or
// VGG at 224x224, for counting, not for training here). The editor checks them as the summary
// does, so they get shapes, counts and shape errors but no "needs a data section" errors.
import type { SpecDiagnostic } from './diagnostic';
import { parseModel, parseModelSection, type ParseOptions } from './parse';
import { entry, parseSource } from './source';

export function isArchitectureFile(text: string): boolean {
  const root = parseSource(text).root;
  return !!root && root.kind === 'map' && !!entry(root, 'model') && !entry(root, 'data') && !entry(root, 'train');
}

/** The diagnostics the editor shows: the model section's alone for an architecture file, else the full file's. */
export function editorDiagnostics(text: string, options: ParseOptions): SpecDiagnostic[] {
  return isArchitectureFile(text) ? parseModelSection(text).diagnostics : parseModel(text, options).diagnostics;
}
