// Completion for YAML model files, from the same tables the parser reads: layer names under
// `layers:`, the options of the layer being written, enum values (activations, initializers,
// padding, losses, optimizers, data sets), and the keys of each section. No vscode here, so it is
// unit-tested; extension/completion.ts turns the entries into CompletionItems.
import { DATASETS, DATASET_NAMES } from '../datasets';
import { COMMON_LAYER_KEYS, LAYERS, type OptionType } from '../language/layers';
import { TOP_KEYS } from '../language/parse';
import { MODEL_KEYS, TRAIN_KEYS } from '../language/parseSections';
import { COMMON_KEYS, SOURCE_KEYS, USER_KEYS } from '../language/readData';
import { DEVICES, ENGINES, INITIALIZERS, INITIALIZER_OPTIONS, LOSSES, METRICS, OPTIMIZERS, OPTIMIZER_OPTIONS, REGULARIZER_KEYS } from '../language/vocabulary';
import { ENGINE_KEYS, ENGINE_KEY_DOCS } from '../language/readEngine';
import { yamlCursor, type YamlCursor } from './yamlContext';

export interface CompletionEntry {
  label: string;
  kind: 'layer' | 'key' | 'value';
  detail?: string;
  /** Snippet text (VS Code snippet syntax: ${1:placeholder}); the label when absent. */
  snippet?: string;
  /** Listed first and selected: the advice when unsure (Adam among the optimizers). */
  recommended?: boolean;
}

const values = (names: readonly (string | number | boolean)[], detail?: string): CompletionEntry[] =>
  names.map((n) => ({ label: String(n), kind: 'value', ...(detail ? { detail } : {}) }));
const keys = (names: readonly string[], siblings: string[], detail?: string): CompletionEntry[] =>
  names.filter((n) => !siblings.includes(n)).map((n) => ({ label: n, kind: 'key', snippet: `${n}: `, ...(detail ? { detail } : {}) }));

/**
 * What each optimizer is for, shown as the learner picks one. Adam comes first: the course's advice
 * (and Keras's and PyTorch's tutorials') is to start with it when unsure, and tune from there.
 */
export const OPTIMIZER_ADVICE: Record<(typeof OPTIMIZERS)[number], string> = {
  adam: 'If unsure, use Adam: momentum plus a per-weight step size; works well with its default rate 0.001 on most problems',
  sgd: 'Plain gradient descent (add momentum: 0.9 for speed); needs a well-chosen rate and often a schedule; can generalise slightly better when tuned',
  rmsprop: 'Per-weight step size from a running mean of squared gradients; a common choice for recurrent nets',
  adamw: 'Adam with weight decay applied to the weights directly (not through the gradient)',
  adamax: 'Adam with an infinity-norm second moment: steadier on rare, large gradients',
  adagrad: 'Per-weight step size that only shrinks: good for sparse features, stalls on long runs',
  adadelta: 'Adagrad with a window instead of the whole history; nearly independent of the rate',
};

const isEngineKey = (k: string): k is (typeof ENGINE_KEYS)[number] => (ENGINE_KEYS as readonly string[]).includes(k);

const optimizerEntries = (): CompletionEntry[] =>
  (['adam', ...OPTIMIZERS.filter((o) => o !== 'adam')] as (typeof OPTIMIZERS)[number][]).map((o) => ({ label: o, kind: 'value', detail: OPTIMIZER_ADVICE[o], ...(o === 'adam' ? { recommended: true } : {}) }));

function layerEntries(): CompletionEntry[] {
  return Object.entries(LAYERS).map(([kind, def]) => {
    const required = def.required.map((r, i) => `${r}: \${${i + 1}}`).join(', ');
    return { label: kind, kind: 'layer', detail: def.doc, snippet: required ? `${kind}: {${required}}` : kind };
  });
}

function optionValues(type: OptionType | undefined): CompletionEntry[] {
  switch (type?.type) {
    case 'enum': return values(type.values);
    case 'bool': return values([true, false]);
    case 'initializer': return values(INITIALIZERS, 'initializer');
    case 'regularizer': return [{ label: '{l2: 0.0001}', kind: 'value', detail: 'weight decay (ridge)', snippet: '{l2: ${1:0.0001}}' }];
    default: return [];
  }
}

function dataKeys(siblings: string[]): string[] {
  const generated = [...new Set(Object.values(DATASETS).flatMap((d) => [...d.options, ...(d.generated ? ['noise'] : [])]))];
  const source = siblings.find((s) => (SOURCE_KEYS as readonly string[]).includes(s));
  const extra = source === 'dataset' ? generated : source ? [...(USER_KEYS[source] ?? [])] : [];
  return [...(source ? [] : SOURCE_KEYS), ...COMMON_KEYS, ...extra];
}

/** What can be written at the cursor; `path` ignores list items (model.layers.dense = a dense layer's options). */
export function completionsAt(c: YamlCursor): CompletionEntry[] {
  const [section, sub, kind, option, name] = c.path;
  if (c.mode === 'item') {
    if (section === 'model' && sub === 'layers' && c.path.length === 2) return layerEntries();
    if (section === 'train' && sub === 'metrics') return values(METRICS);
    return [];
  }
  if (c.mode === 'value') {
    const key = c.key ?? '';
    if (c.path.length === 0) return [];
    if (section === 'data' && c.path.length === 1 && key === 'dataset') return DATASET_NAMES.map((n) => ({ label: n, kind: 'value', detail: DATASETS[n]?.doc }));
    if (section === 'train' && c.path.length === 1) {
      if (key === 'loss') return values(LOSSES, 'loss');
      if (key === 'optimizer') return optimizerEntries();
      if (key === 'metrics') return values(METRICS);
      if (key === 'engine') return values(ENGINES, 'engine');
      if (key === 'device') return values(DEVICES, 'PyTorch device');
      if (key === 'processes') return values(['auto', 1, 2, 4], 'processes (PyTorch)');
    }
    if (section === 'model' && sub === 'layers' && kind && c.path.length === 3) return optionValues(LAYERS[kind]?.options[key]);
    return [];
  }
  if (c.path.length === 0) return keys(TOP_KEYS, c.siblings);
  if (section === 'data' && c.path.length === 1) return keys(dataKeys(c.siblings), c.siblings);
  if (section === 'train' && c.path.length === 1) return keys(TRAIN_KEYS, c.siblings).map((e) => ({ ...e, ...(isEngineKey(e.label) ? { detail: ENGINE_KEY_DOCS[e.label] } : {}) }));
  if (section === 'train' && sub === 'optimizer' && kind && c.path.length === 3) return keys((OPTIMIZER_OPTIONS as Record<string, readonly string[]>)[kind] ?? [], c.siblings);
  if (section === 'train' && sub === 'optimizer' && c.path.length === 2) return optimizerEntries();
  if (section === 'model' && c.path.length === 1) return keys(MODEL_KEYS, c.siblings);
  if (section === 'model' && sub === 'regularizer') return keys(REGULARIZER_KEYS, c.siblings);
  if (section === 'model' && sub === 'layers' && kind && c.path.length === 3) {
    const def = LAYERS[kind];
    if (!def) return [];
    return keys([...Object.keys(def.options), ...COMMON_LAYER_KEYS], c.siblings, kind);
  }
  if (section === 'model' && sub === 'layers' && kind && option && c.path.length === 4) {
    const type = LAYERS[kind]?.options[option];
    if (type?.type === 'initializer') return values(INITIALIZERS, 'initializer');
    if (type?.type === 'regularizer') return keys(REGULARIZER_KEYS, c.siblings);
  }
  if (section === 'model' && sub === 'layers' && option && name && c.path.length === 5) {
    return keys((INITIALIZER_OPTIONS as Record<string, readonly string[]>)[name] ?? [], c.siblings);
  }
  return [];
}

export function completeYaml(text: string, line: number, character: number): CompletionEntry[] {
  return completionsAt(yamlCursor(text, line, character));
}
