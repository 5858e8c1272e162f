// Model file text -> ModelSpec + diagnostics. Never throws on any input; every message carries
// the range of the text it is about.
import { analyzeShapes, type ModelSummary } from '../analysis/shapes';
import { DATASETS } from '../datasets';
import { Checker } from './check';
import type { SpecDiagnostic } from './diagnostic';
import type { ModelSpec } from './model';
import { MODEL_KEYS, readData, readLayers, readModelRegularizer, readTrain } from './parseSections';
import { entry, parseSource, type SourceTree, type SrcNode } from './source';
import { runRules } from '../rules';
import { checkDataShape, dataToCheckOf, type DataToCheck } from './dataShape';

export interface ParseResult {
  spec?: ModelSpec;
  summary?: ModelSummary;
  diagnostics: SpecDiagnostic[];
  /**
   * The data section as read, kept even when other errors leave `spec` unset (the files are still
   * worth checking). The parser never touches the disk: engine/data/dataFiles.ts checks the files
   * it names afterwards, asynchronously. Absent with checkData: false.
   */
  dataToCheck?: DataToCheck;
}

export interface ParseOptions {
  /** Name used when the file has no `name:` (the file name without .model.yaml). */
  defaultName?: string;
  /** Seed used when neither data.seed nor train.seed is given. */
  defaultSeed?: number;
  /** false: skip the checks of the model against its data set (benchmarks bring their own data). */
  checkData?: boolean;
}

// `sweep` is read by model/variants/sweep.ts (the runs it expands to); a single run ignores it.
export const TOP_KEYS = ['name', 'description', 'version', 'data', 'model', 'train', 'sweep'];

export function parseModel(text: string, options: ParseOptions = {}): ParseResult {
  return parseModelTree(parseSource(text), text, options);
}

/** parseModel on a tree already parsed from `text` (model/language/modelDocument.ts parses once for every view). */
export function parseModelTree(tree: SourceTree, text: string, options: ParseOptions = {}): ParseResult {
  if (!tree.root) return { diagnostics: tree.diagnostics };
  const c = new Checker();
  c.diagnostics.push(...tree.diagnostics);
  const spec = readModelFile(c, tree.root, options);
  let summary: ModelSummary | undefined;
  if (spec) {
    summary = analyzeShapes(c, spec.model.input, spec.model.layers);
    if (summary) c.diagnostics.push(...runRules(spec, summary, text, { checkData: options.checkData !== false }));
    if (options.checkData !== false) checkDataShape(c, spec);
  }
  const dataToCheck = spec && options.checkData !== false ? dataToCheckOf(spec) : undefined;
  const ok = spec && summary && !c.hasErrors;
  const result: ParseResult = ok ? { spec, summary, diagnostics: c.diagnostics } : { diagnostics: c.diagnostics, summary };
  if (dataToCheck) result.dataToCheck = dataToCheck;
  return result;
}

function readModelFile(c: Checker, root: SrcNode, options: ParseOptions): ModelSpec | undefined {
  const entries = c.map(root, 'A model file');
  if (!entries) return undefined;
  c.keys(entries, TOP_KEYS, 'the model file');
  const section = (key: string) => {
    const e = entry(root, key);
    if (!e) c.report(root.range.start.line === root.range.end.line ? root.range : { start: root.range.start, end: root.range.start }, `The model file needs a '${key}' section.`, 'missing-key');
    return e?.value;
  };
  const nameNode = entry(root, 'name')?.value;
  const name = (nameNode && c.string(nameNode, 'name')) || options.defaultName || 'model';
  const versionNode = entry(root, 'version')?.value;
  if (versionNode) c.number(versionNode, 'version', { integer: true, min: 1, max: 1 });
  const description = entry(root, 'description');
  if (description) c.string(description.value, 'description');

  const seedNode = entry(entry(root, 'train')?.value ?? root, 'seed')?.value;
  const trainSeed = seedNode?.kind === 'scalar' && typeof seedNode.value === 'number' ? seedNode.value : undefined;
  const fallbackSeed = trainSeed ?? options.defaultSeed ?? Math.floor(Math.random() * 2 ** 31);

  const dataNode = section('data');
  const modelNode = section('model');
  const trainNode = section('train');
  const data = dataNode && readData(c, dataNode, fallbackSeed);
  const train = trainNode && readTrain(c, trainNode, fallbackSeed);

  let input: number[] | undefined;
  let layers;
  let regularizer;
  if (modelNode) {
    const m = c.map(modelNode, 'model');
    if (m) {
      c.keys(m, MODEL_KEYS, 'model');
      const inputNode = entry(modelNode, 'input')?.value;
      input = inputNode ? c.shape(inputNode, 'model.input') : data ? DATASETS[data.dataset]?.shape : undefined;
      if (!inputNode && data?.source) c.report(modelNode.range, `model needs 'input' with ${data.source.kind} data: the shape of one example, e.g. [10] or [28, 28, 1].`, 'missing-key');
      const layersNode = entry(modelNode, 'layers')?.value;
      if (!layersNode) c.report(modelNode.range, "model needs 'layers': a list such as \"- dense: {units: 8, activation: relu}\".", 'missing-key');
      else layers = readLayers(c, layersNode);
      regularizer = readModelRegularizer(c, modelNode);
    }
  }
  if (!data || !train || !input || !layers) return undefined;
  return { name, data, train, model: { input, layers, ...(regularizer ? { regularizer } : {}) }, source: root };
}

/**
 * Only the `model` section, for `model-lab summary`: architectures from papers need no data or
 * training settings to be counted. model.input is then required (or taken from data.dataset).
 */
export function parseModelSection(text: string): ModelSectionResult {
  return parseModelSectionTree(parseSource(text), text);
}

export interface ModelSectionResult {
  summary?: ModelSummary;
  diagnostics: SpecDiagnostic[];
}

/** parseModelSection on a tree already parsed from `text`. */
export function parseModelSectionTree(tree: SourceTree, text: string): ModelSectionResult {
  if (!tree.root) return { diagnostics: tree.diagnostics };
  const c = new Checker();
  c.diagnostics.push(...tree.diagnostics);
  const root = tree.root;
  const modelNode = entry(root, 'model')?.value;
  if (!modelNode) {
    c.report(root.range, "The model file needs a 'model' section.", 'missing-key');
    return { diagnostics: c.diagnostics };
  }
  const m = c.map(modelNode, 'model');
  if (!m) return { diagnostics: c.diagnostics };
  c.keys(m, MODEL_KEYS, 'model');
  const inputNode = entry(modelNode, 'input')?.value;
  const datasetNode = entry(entry(root, 'data')?.value ?? root, 'dataset')?.value;
  const fromData = datasetNode?.kind === 'scalar' ? DATASETS[String(datasetNode.value)]?.shape : undefined;
  const input = inputNode ? c.shape(inputNode, 'model.input') : fromData;
  if (!inputNode && !fromData) c.report(modelNode.range, 'model.input is needed to count shapes, e.g. input: [224, 224, 3].', 'missing-key');
  const layersNode = entry(modelNode, 'layers')?.value;
  if (!layersNode) c.report(modelNode.range, "model needs 'layers'.", 'missing-key');
  const layers = layersNode ? readLayers(c, layersNode) : undefined;
  readModelRegularizer(c, modelNode);
  const summary = input && layers ? analyzeShapes(c, input, layers) : undefined;
  // The rules about the architecture alone (no data or train section needed).
  if (summary && input && layers) c.diagnostics.push(...runRules({ model: { input, layers }, source: root }, summary, text));
  return c.hasErrors ? { diagnostics: c.diagnostics } : { summary, diagnostics: c.diagnostics };
}
