// Reads the three sections of a model file (data, model, train) into typed specs; `data` is in readData.ts.
import { closest, type Checker } from './check';
import type { Range } from './diagnostic';
import { COMMON_LAYER_KEYS, LAYERS, LAYER_NAMES, type OptionType } from './layers';
import type { InitializerSpec, LayerSpec, TrainSpec } from './model';
import { entry, type MapEntry, type SrcNode } from './source';
import { readStatistics } from './statsSchedule';
import { readOptimizer } from './readOptimizer';
import { readSchedule } from './readSchedule';
import { readCallbacks } from './readCallbacks';
import { ENGINE_KEYS, readEngineChoice } from './readEngine';
import {
  DEFAULT_LEARNING_RATE, INITIALIZERS, INITIALIZER_OPTIONS, LOSSES, REGULARIZER_KEYS, type RegularizerSpec, METRICS,
  type InitializerName, type LossName, type MetricName, type WorkersChoice,
} from './vocabulary';

const get = (entries: MapEntry[], key: string): MapEntry | undefined => entries.find((e) => e.key === key);

export function readLayers(c: Checker, node: SrcNode): LayerSpec[] | undefined {
  if (node.kind !== 'seq' || node.items.length === 0) {
    c.report(node.range, 'model.layers must be a non-empty list of layers, e.g. "- dense: {units: 8, activation: relu}".', 'wrong-type');
    return undefined;
  }
  const layers: LayerSpec[] = [];
  // 'input' names the model's input in `inputs:` lists, so no layer may take it.
  const seen = new Map<string, Range>([['input', node.range]]);
  node.items.forEach((item, index) => {
    const layer = readLayer(c, item, index, layers[layers.length - 1]?.id);
    if (!layer) return;
    if (seen.has(layer.id)) c.report(layer.optionRanges.id ?? layer.range, layer.id === 'input' ? "'input' names the model's input; give this layer another id." : `Another layer already has the id '${layer.id}'.`, 'duplicate-id');
    seen.set(layer.id, layer.range);
    layers.push(layer);
  });
  return layers.length === node.items.length ? layers : undefined;
}

function readLayer(c: Checker, item: SrcNode, index: number, previousId: string | undefined): LayerSpec | undefined {
  // `- flatten` (a bare name) is accepted as a layer with no options.
  let kindEntry: MapEntry | undefined;
  /** `id`, `inputs` or `trainable` written beside the layer's key instead of inside its options. */
  let beside: MapEntry[] = [];
  if (item.kind === 'scalar' && typeof item.value === 'string') kindEntry = { key: item.value, keyRange: item.range, value: { kind: 'map', entries: [], range: item.range } };
  else if (item.kind === 'map' && item.entries.length === 1) kindEntry = item.entries[0];
  else if (item.kind === 'map') {
    // Keras users write `- conv2d: {...}` with `id: c1` on the next line: one layer key and the
    // common keys beside it mean the same layer, so that form is read as if id were inside.
    const common = (e: MapEntry) => (COMMON_LAYER_KEYS as readonly string[]).includes(e.key);
    const kinds = item.entries.filter((e) => !common(e));
    const layerKeys = item.entries.filter((e) => LAYERS[e.key]);
    if (kinds.length === 1 && kinds[0] && LAYERS[kinds[0].key]) {
      kindEntry = kinds[0];
      beside = item.entries.filter(common);
    } else if (layerKeys.length === 1 && layerKeys[0]) {
      const stray = item.entries.find((e) => !common(e) && !LAYERS[e.key]);
      if (stray) {
        c.report(stray.keyRange, `'${stray.key}' belongs inside the layer's options: ${layerKeys[0].key}: {${stray.key}: ..., ...}.`, 'layer-shape');
        return undefined;
      }
    }
  }
  if (!kindEntry) {
    c.report(item.range, `A layer is a map with one key, the layer's name (${LAYER_NAMES.join(', ')}), e.g. "- dense: {units: 8}".`, 'layer-shape');
    return undefined;
  }
  const kind = kindEntry.key;
  const def = LAYERS[kind];
  if (!def) {
    const guess = closest(kind, LAYER_NAMES);
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    // The five basic layers first, then the rest, so the message reads as it did before the catalogue grew.
    c.report(kindEntry.keyRange, `Unknown layer '${kind}'.${hint} Valid layers: ${LAYER_NAMES.slice(0, 5).join(', ')}. More: ${LAYER_NAMES.slice(5).join(', ')}.`, 'unknown-layer');
    return undefined;
  }
  const optsNode = kindEntry.value;
  const inside: MapEntry[] = optsNode.kind === 'scalar' && optsNode.value === null ? [] : c.map(optsNode, `The options of ${kind}`) ?? [];
  for (const e of beside) {
    if (get(inside, e.key)) c.report(e.keyRange, `'${e.key}' is given twice: beside ${kind} and inside its options.`, 'duplicate-key');
  }
  const entries = [...inside, ...beside.filter((e) => !get(inside, e.key))];
  c.keys(entries, [...Object.keys(def.options), ...COMMON_LAYER_KEYS], kind);
  const config: Record<string, unknown> = {};
  const optionRanges: Record<string, Range> = {};
  let ok = true;
  let id = `${kind}_${index + 1}`;
  let inputs = previousId ? [previousId] : [];
  for (const e of entries) {
    optionRanges[e.key] = e.value.range;
    const what = `${kind}.${e.key}`;
    if (e.key === 'id') id = c.string(e.value, what) ?? id;
    else if (e.key === 'inputs') inputs = c.stringList(e.value, what) ?? inputs;
    else if (e.key === 'trainable') config.trainable = c.boolean(e.value, what);
    else {
      const type = def.options[e.key];
      if (!type) continue; // already reported as unknown
      const v = readOption(c, e.value, what, type);
      if (v === undefined) ok = false;
      else config[e.key] = v;
    }
  }
  for (const req of def.required) {
    if (!get(entries, req)) {
      c.report(kindEntry.keyRange, `${kind} needs '${req}'.`, 'missing-key');
      ok = false;
    }
  }
  return ok ? { kind, id, inputs, config, index, range: kindEntry.keyRange, optionRanges } : undefined;
}

function readOption(c: Checker, node: SrcNode, what: string, type: OptionType): unknown {
  switch (type.type) {
    case 'int': return c.number(node, what, { integer: true, min: type.min, max: type.max });
    case 'number': return c.number(node, what, { min: type.min, below: type.below });
    case 'bool': return c.boolean(node, what);
    case 'enum': return c.oneOf(node, what, type.values);
    case 'intPair': return c.intTuple(node, what, 2, type.min);
    case 'initializer': return readInitializer(c, node, what);
    case 'intList': return readIntList(c, node, what, type.min, type.allowInfer === true);
    case 'regularizer': return readRegularizer(c, node, what);
  }
}

/** Keys of the model section. */
export const MODEL_KEYS = ['input', 'layers', 'regularizer'];

/** `model.regularizer`: the penalty for every kernel that has no kernelRegularizer of its own. */
export function readModelRegularizer(c: Checker, modelNode: SrcNode): RegularizerSpec | undefined {
  const node = entry(modelNode, 'regularizer')?.value;
  return node ? readRegularizer(c, node, 'model.regularizer') : undefined;
}

/** A list of integers (a reshape target); -1 once where the size is to be inferred. */
function readIntList(c: Checker, node: SrcNode, what: string, min: number, allowInfer: boolean): number[] | undefined {
  if (node.kind !== 'seq' || node.items.length === 0) {
    c.report(node.range, `${what} must be a list of integers, e.g. [4, 4, 8]${allowInfer ? ' (one may be -1: inferred)' : ''}.`, 'wrong-type');
    return undefined;
  }
  const values = node.items.map((item) => (allowInfer && item.kind === 'scalar' && item.value === -1 ? -1 : c.number(item, `Each entry of ${what}`, { integer: true, min })));
  if (!values.every((v): v is number => v !== undefined)) return undefined;
  if (values.filter((v) => v === -1).length > 1) {
    c.report(node.range, `${what} may infer only one dimension (-1).`, 'out-of-range');
    return undefined;
  }
  return values;
}

/** `{l1: 0.001}`, `{l2: 0.0001}` or both (elastic net): the penalty added to the loss for a weight. */
export function readRegularizer(c: Checker, node: SrcNode, what: string): RegularizerSpec | undefined {
  const entries = c.map(node, what);
  if (!entries) return undefined;
  c.keys(entries, REGULARIZER_KEYS, what);
  const spec: RegularizerSpec = {};
  for (const e of entries) {
    if (e.key !== 'l1' && e.key !== 'l2') continue;
    const v = c.number(e.value, `${what}.${e.key}`, { min: 0, max: 10 });
    if (v === undefined) return undefined;
    spec[e.key] = v;
  }
  if (spec.l1 === undefined && spec.l2 === undefined) {
    c.report(node.range, `${what} needs l1, l2 or both, e.g. {l2: 0.0001}.`, 'missing-key');
    return undefined;
  }
  return spec;
}

/** `heNormal` or `{randomNormal: {stddev: 0.01}}`. */
function readInitializer(c: Checker, node: SrcNode, what: string): InitializerSpec | undefined {
  if (node.kind === 'scalar') {
    const name = c.oneOf(node, what, INITIALIZERS);
    return name ? { name, options: {} } : undefined;
  }
  if (node.kind === 'map' && node.entries.length === 1) {
    const [e] = node.entries as [MapEntry];
    const name = c.oneOf({ kind: 'scalar', value: e.key, range: e.keyRange }, what, INITIALIZERS) as InitializerName | undefined;
    if (!name) return undefined;
    const opts = e.value.kind === 'scalar' && e.value.value === null ? [] : c.map(e.value, `${what}.${name}`) ?? [];
    c.keys(opts, INITIALIZER_OPTIONS[name], `${what}.${name}`);
    const options: Record<string, number> = {};
    for (const o of opts) {
      if (!INITIALIZER_OPTIONS[name].includes(o.key)) continue;
      const v = c.number(o.value, `${what}.${name}.${o.key}`, o.key === 'stddev' ? { min: 0 } : {});
      if (v === undefined) return undefined;
      options[o.key] = v;
    }
    return { name, options };
  }
  c.report(node.range, `${what} must be an initializer name (${INITIALIZERS.join(', ')}) or a map like {randomNormal: {stddev: 0.05}}.`, 'wrong-type');
  return undefined;
}

/** Keys of the train section (also for completion and the JSON schema, model/completion/). */
export const TRAIN_KEYS = ['loss', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'metrics', 'seed', 'statistics', 'workers', 'schedule', 'callbacks', ...ENGINE_KEYS];

export function readTrain(c: Checker, node: SrcNode, fallbackSeed: number): TrainSpec | undefined {
  const entries = c.map(node, 'train');
  if (!entries) return undefined;
  c.keys(entries, TRAIN_KEYS, 'train');
  const lossEntry = get(entries, 'loss');
  if (!lossEntry) c.report(node.range, `train needs a 'loss': one of ${LOSSES.join(', ')}.`, 'missing-key');
  const loss = lossEntry ? c.oneOf<LossName>(lossEntry.value, 'train.loss', LOSSES) : undefined;
  const optEntry = get(entries, 'optimizer');
  const optimizer = optEntry ? readOptimizer(c, optEntry.value) : { name: 'adam' as const, options: {} };
  const num = (key: string, rule: Parameters<Checker['number']>[2], fallback: number): number | undefined => {
    const e = get(entries, key);
    return e ? c.number(e.value, `train.${key}`, rule) : fallback;
  };
  const innerLr = optimizer?.options.learningRate;
  const lrEntry = get(entries, 'learningRate');
  if (lrEntry && innerLr !== undefined) c.report(lrEntry.keyRange, 'The learning rate is set twice: here and in the optimizer options. Keep one.', 'duplicate-key');
  const learningRate = typeof innerLr === 'number' ? innerLr : num('learningRate', { above: 0, max: 100 }, DEFAULT_LEARNING_RATE[optimizer?.name ?? 'adam']);
  const batchSize = num('batchSize', { integer: true, min: 1, max: 1_000_000 }, 32);
  const epochs = num('epochs', { integer: true, min: 1, max: 1_000_000 }, 10);
  const seed = num('seed', { integer: true, min: 0 }, fallbackSeed);
  const metricsEntry = get(entries, 'metrics');
  let metrics: MetricName[] | undefined = [];
  if (metricsEntry) {
    const names = c.stringList(metricsEntry.value, 'train.metrics');
    metrics = names?.every((n) => (METRICS as readonly string[]).includes(n)) ? (names as MetricName[]) : undefined;
    if (names && !metrics) c.report(metricsEntry.value.range, `train.metrics may list: ${METRICS.join(', ')}.`, 'unknown-value');
  }
  const statsEntry = get(entries, 'statistics');
  const statistics = statsEntry ? readStatistics(c, statsEntry.value) : undefined;
  if (statsEntry && !statistics) return undefined;
  const workersEntry = get(entries, 'workers');
  const workers = workersEntry ? readWorkers(c, workersEntry.value) : undefined;
  if (workersEntry && workers === undefined) return undefined;
  const scheduleEntry = get(entries, 'schedule');
  const schedule = scheduleEntry ? readSchedule(c, scheduleEntry.value, scheduleEntry.keyRange, learningRate) : undefined;
  const callbacksEntry = get(entries, 'callbacks');
  const callbacks = callbacksEntry ? readCallbacks(c, callbacksEntry.value, schedule) : undefined;
  if ((scheduleEntry && !schedule) || (callbacksEntry && !callbacks)) return undefined;
  const engine = readEngineChoice(c, entries);
  if (!engine) return undefined;
  if (!loss || !optimizer || learningRate === undefined || batchSize === undefined || epochs === undefined || seed === undefined || !metrics) return undefined;
  return { loss, optimizer, learningRate, batchSize, epochs, metrics, seed, ...(statistics ? { statistics } : {}), ...(workers !== undefined ? { workers } : {}), ...(schedule ? { schedule } : {}), ...(callbacks ? { callbacks } : {}), ...engine };
}

/** `auto`, 1 or 2 (worker threads training the model data-parallel). */
function readWorkers(c: Checker, node: SrcNode): WorkersChoice | undefined {
  if (node.kind === 'scalar' && (node.value === 'auto' || node.value === 1 || node.value === 2)) return node.value;
  c.report(node.range, `train.workers must be auto, 1 or 2 (worker threads training data-parallel); got ${node.kind === 'scalar' ? JSON.stringify(node.value) : 'a ' + node.kind}.`, 'unknown-value');
  return undefined;
}

export { entry };
export { readData } from './readData';
