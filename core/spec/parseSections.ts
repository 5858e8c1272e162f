// Reads the three sections of a model file (data, model, train) into typed specs.
import { DATASETS, DATASET_NAMES } from '../data/catalog';
import { closest, type Checker } from './check';
import type { Range } from './diagnostic';
import { COMMON_LAYER_KEYS, LAYERS, LAYER_NAMES, type OptionType } from './layers';
import type { DataSpec, InitializerSpec, LayerSpec, OptimizerSpec, TrainSpec } from './model';
import { entry, type MapEntry, type SrcNode } from './source';
import {
  DEFAULT_LEARNING_RATE, INITIALIZERS, INITIALIZER_OPTIONS, LOSSES, METRICS, OPTIMIZERS, OPTIMIZER_OPTIONS,
  type InitializerName, type LossName, type MetricName, type OptimizerName,
} from './vocabulary';

const get = (entries: MapEntry[], key: string): MapEntry | undefined => entries.find((e) => e.key === key);

export function readData(c: Checker, node: SrcNode, fallbackSeed: number): DataSpec | undefined {
  const entries = c.map(node, 'data');
  if (!entries) return undefined;
  const ds = get(entries, 'dataset');
  if (!ds) {
    c.report(node.range, `data needs a 'dataset': one of ${DATASET_NAMES.join(', ')}.`, 'missing-key');
    return undefined;
  }
  const dataset = c.oneOf(ds.value, 'data.dataset', DATASET_NAMES, 'unknown-dataset');
  const def = dataset ? DATASETS[dataset] : undefined;
  const allowed = ['dataset', 'samples', 'validationSplit', 'seed', ...(def?.generated ? ['noise'] : []), ...(def?.options ?? [])];
  if (def) c.keys(entries, allowed, `data for '${dataset}'`);
  const num = (key: string, what: string, rule: Parameters<Checker['number']>[2], fallback: number): number => {
    const e = get(entries, key);
    return e ? c.number(e.value, what, rule) ?? fallback : fallback;
  };
  const spec: DataSpec = {
    dataset: dataset ?? '',
    samples: num('samples', 'data.samples', { integer: true, min: 4, max: 1_000_000 }, def?.defaultSamples ?? 0),
    noise: num('noise', 'data.noise', { min: 0, max: 10 }, def?.defaultNoise ?? 0),
    validationSplit: num('validationSplit', 'data.validationSplit', { min: 0, below: 1 }, 0.2),
    seed: num('seed', 'data.seed', { integer: true, min: 0 }, fallbackSeed),
    classes: num('classes', 'data.classes', { integer: true, min: 2, max: 10 }, def?.classes ?? 0),
  };
  const samplesEntry = get(entries, 'samples');
  if (def && !def.generated && samplesEntry && spec.samples > def.defaultSamples) {
    c.report(samplesEntry.value.range, `'${dataset}' has ${def.defaultSamples} examples; samples can only take fewer.`, 'out-of-range');
    return undefined;
  }
  return dataset ? spec : undefined;
}

export function readLayers(c: Checker, node: SrcNode): LayerSpec[] | undefined {
  if (node.kind !== 'seq' || node.items.length === 0) {
    c.report(node.range, 'model.layers must be a non-empty list of layers, e.g. "- dense: {units: 8, activation: relu}".', 'wrong-type');
    return undefined;
  }
  const layers: LayerSpec[] = [];
  const seen = new Map<string, Range>();
  node.items.forEach((item, index) => {
    const layer = readLayer(c, item, index, layers[layers.length - 1]?.id);
    if (!layer) return;
    if (seen.has(layer.id)) c.report(layer.optionRanges.id ?? layer.range, `Another layer already has the id '${layer.id}'.`, 'duplicate-id');
    seen.set(layer.id, layer.range);
    layers.push(layer);
  });
  return layers.length === node.items.length ? layers : undefined;
}

function readLayer(c: Checker, item: SrcNode, index: number, previousId: string | undefined): LayerSpec | undefined {
  // `- flatten` (a bare name) is accepted as a layer with no options.
  let kindEntry: MapEntry | undefined;
  if (item.kind === 'scalar' && typeof item.value === 'string') kindEntry = { key: item.value, keyRange: item.range, value: { kind: 'map', entries: [], range: item.range } };
  else if (item.kind === 'map' && item.entries.length === 1) kindEntry = item.entries[0];
  if (!kindEntry) {
    c.report(item.range, `A layer is a map with one key, the layer's name (${LAYER_NAMES.join(', ')}), e.g. "- dense: {units: 8}".`, 'layer-shape');
    return undefined;
  }
  const kind = kindEntry.key;
  const def = LAYERS[kind];
  if (!def) {
    const guess = closest(kind, LAYER_NAMES);
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    c.report(kindEntry.keyRange, `Unknown layer '${kind}'.${hint} Valid layers: ${LAYER_NAMES.join(', ')}.`, 'unknown-layer');
    return undefined;
  }
  const optsNode = kindEntry.value;
  const entries: MapEntry[] = optsNode.kind === 'scalar' && optsNode.value === null ? [] : c.map(optsNode, `The options of ${kind}`) ?? [];
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
  }
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

export function readTrain(c: Checker, node: SrcNode, fallbackSeed: number): TrainSpec | undefined {
  const entries = c.map(node, 'train');
  if (!entries) return undefined;
  c.keys(entries, ['loss', 'optimizer', 'learningRate', 'batchSize', 'epochs', 'metrics', 'seed'], 'train');
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
  if (!loss || !optimizer || learningRate === undefined || batchSize === undefined || epochs === undefined || seed === undefined || !metrics) return undefined;
  return { loss, optimizer, learningRate, batchSize, epochs, metrics, seed };
}

/** `adam`, or `{sgd: {momentum: 0.9}}`. */
function readOptimizer(c: Checker, node: SrcNode): OptimizerSpec | undefined {
  if (node.kind === 'scalar') {
    const name = c.oneOf<OptimizerName>(node, 'train.optimizer', OPTIMIZERS);
    return name ? { name, options: {} } : undefined;
  }
  if (node.kind !== 'map' || node.entries.length !== 1) {
    c.report(node.range, `train.optimizer must be a name (${OPTIMIZERS.join(', ')}) or a map like {sgd: {momentum: 0.9}}.`, 'wrong-type');
    return undefined;
  }
  const [e] = node.entries as [MapEntry];
  const name = c.oneOf<OptimizerName>({ kind: 'scalar', value: e.key, range: e.keyRange }, 'train.optimizer', OPTIMIZERS);
  if (!name) return undefined;
  const opts = e.value.kind === 'scalar' && e.value.value === null ? [] : c.map(e.value, `The options of ${name}`) ?? [];
  c.keys(opts, OPTIMIZER_OPTIONS[name], `optimizer ${name}`);
  const options: Record<string, number | boolean> = {};
  for (const o of opts) {
    const what = `${name}.${o.key}`;
    let v: number | boolean | undefined;
    if (o.key === 'nesterov') v = c.boolean(o.value, what);
    else if (o.key === 'learningRate') v = c.number(o.value, what, { above: 0, max: 100 });
    else if (o.key === 'momentum' || o.key === 'beta1' || o.key === 'beta2') v = c.number(o.value, what, { min: 0, below: 1 });
    else if (o.key === 'epsilon') v = c.number(o.value, what, { above: 0, max: 1 });
    else continue;
    if (v === undefined) return undefined;
    options[o.key] = v;
  }
  return { name, options };
}

export { entry };
