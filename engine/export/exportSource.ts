// What the Keras export needs of a model file: the whole ModelSpec when the file trains, or only its
// model section for an architecture file (no data or train section, like examples/architectures/).
// A file with errors is not exported: the first error is the message, with its line.
import { analyzeShapes, type ModelSummary } from '../../model/analysis/shapes';
import { Checker } from '../../model/language/check';
import type { SpecDiagnostic } from '../../model/language/diagnostic';
import type { LayerSpec, ModelSpec } from '../../model/language/model';
import { parseModel } from '../../model/language/parse';
import { entry, parseSource } from '../../model/language/source';
import { readLayers, readModelRegularizer } from '../../model/language/parseSections';
import type { RegularizerSpec } from '../../model/language/vocabulary';

export interface ExportSource {
  name: string;
  input: number[];
  layers: LayerSpec[];
  regularizer?: RegularizerSpec;
  summary: ModelSummary;
  /** Absent for an architecture-only file. */
  spec?: ModelSpec;
}

export class ExportError extends Error {
  constructor(readonly diagnostic: SpecDiagnostic) {
    super(`line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  }
}

export function readExportSource(text: string, defaultName: string): ExportSource {
  const tree = parseSource(text);
  const root = tree.root;
  const architectureOnly = root?.kind === 'map' && !entry(root, 'data') && !entry(root, 'train');
  if (!architectureOnly) {
    // Data files are not needed to write a script: do not check that they exist.
    const r = parseModel(text, { defaultName, checkData: false });
    if (r.spec && r.summary) return { name: r.spec.name, input: r.spec.model.input, layers: r.spec.model.layers, ...(r.spec.model.regularizer ? { regularizer: r.spec.model.regularizer } : {}), summary: r.summary, spec: r.spec };
    throw firstError(r.diagnostics);
  }
  const c = new Checker();
  c.diagnostics.push(...tree.diagnostics);
  const modelNode = entry(root, 'model')?.value;
  const inputNode = modelNode && entry(modelNode, 'input')?.value;
  const layersNode = modelNode && entry(modelNode, 'layers')?.value;
  const input = inputNode ? c.shape(inputNode, 'model.input') : undefined;
  const layers = layersNode ? readLayers(c, layersNode) : undefined;
  const regularizer = modelNode ? readModelRegularizer(c, modelNode) : undefined;
  const summary = input && layers ? analyzeShapes(c, input, layers) : undefined;
  if (!input || !layers || !summary || c.hasErrors) {
    const missing = !modelNode ? "The model file needs a 'model' section." : !inputNode ? 'An architecture file needs model.input to be exported.' : "model needs 'layers'.";
    throw firstError(c.diagnostics, missing);
  }
  const nameNode = entry(root, 'name')?.value;
  const name = nameNode?.kind === 'scalar' && typeof nameNode.value === 'string' ? nameNode.value : defaultName;
  return { name, input, layers, ...(regularizer ? { regularizer } : {}), summary };
}

function firstError(diagnostics: SpecDiagnostic[], fallback = 'The model file has errors.'): ExportError {
  const d = diagnostics.find((x) => x.severity === 'error');
  return new ExportError(d ?? { severity: 'error', message: fallback, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, code: 'export' });
}
