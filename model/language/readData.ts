// The `data` section: a built-in set (`dataset:`), or the user's own files (`csv:`, `idx:`,
// `images:`), plus validation, augmentation and test-time augmentation. Every key keeps the range
// of its value so that errors found later (at load time, in the worker) still land on the line.
import { DATASETS, DATASET_NAMES, type GeneratorOption } from '../datasets';
import type { Checker } from './check';
import type { Range } from './diagnostic';
import type { AugmentSpec, DataSource, DataSpec, TtaSpec } from './model';
import type { MapEntry, SrcNode } from './source';

const get = (entries: MapEntry[], key: string): MapEntry | undefined => entries.find((e) => e.key === key);

export const SOURCE_KEYS = ['dataset', 'csv', 'idx', 'images'] as const;
export const COMMON_KEYS = ['validationSplit', 'seed', 'samples', 'augment', 'testTimeAugmentation'];
export const USER_KEYS: Record<string, readonly string[]> = { csv: ['target', 'standardize', 'validation'], idx: ['validation'], images: ['resize', 'validation'] };
export const AUGMENT_KEYS = ['randomCrop', 'randomScale', 'flipHorizontal', 'flipVertical', 'shift', 'rotation', 'gaussianNoise', 'cutout'] as const;
export const TTA_KEYS = ['flipHorizontal', 'flipVertical', 'crops', 'padding', 'scales'];

export function readData(c: Checker, node: SrcNode, fallbackSeed: number): DataSpec | undefined {
  const entries = c.map(node, 'data');
  if (!entries) return undefined;
  const sources = entries.filter((e) => (SOURCE_KEYS as readonly string[]).includes(e.key));
  if (sources.length !== 1) {
    const where = sources[1]?.keyRange ?? node.range;
    c.report(where, sources.length === 0
      ? `data needs one of: 'dataset' (${DATASET_NAMES.join(', ')}), 'csv: file.csv' with 'target', 'idx: {images, labels}' or 'images: folder'.`
      : `data takes one source; it has ${sources.map((s) => `'${s.key}'`).join(' and ')}.`, sources.length === 0 ? 'missing-key' : 'duplicate-key');
    return undefined;
  }
  const src = sources[0] as MapEntry;
  const ranges: Record<string, Range> = { data: node.range };
  for (const e of entries) ranges[e.key] = e.value.range;
  const num = (key: string, rule: Parameters<Checker['number']>[2], fallback: number): number => {
    const e = get(entries, key);
    return e ? c.number(e.value, `data.${key}`, rule) ?? NaN : fallback;
  };
  const bool = (key: string): boolean | undefined => {
    const e = get(entries, key);
    return e ? c.boolean(e.value, `data.${key}`) : undefined;
  };
  const common = {
    validationSplit: num('validationSplit', { min: 0, below: 1 }, 0.2),
    seed: num('seed', { integer: true, min: 0 }, fallbackSeed),
    ranges,
  };
  const augmentEntry = get(entries, 'augment');
  const augment = augmentEntry ? readAugment(c, augmentEntry.value) : undefined;
  const ttaEntry = get(entries, 'testTimeAugmentation');
  const tta = ttaEntry ? readTta(c, ttaEntry.value, augment ?? {}) : undefined;
  const extras = { ...(augment ? { augment } : {}), ...(tta ? { testTimeAugmentation: tta } : {}) };
  if ((augmentEntry && !augment) || (ttaEntry && tta === undefined)) return undefined;

  if (src.key === 'dataset') {
    const dataset = c.oneOf(src.value, 'data.dataset', DATASET_NAMES, 'unknown-dataset');
    const def = dataset ? DATASETS[dataset] : undefined;
    if (!dataset || !def) return undefined;
    c.keys(entries, ['dataset', ...COMMON_KEYS, ...(def.generated ? ['noise'] : []), ...def.options], `data for '${dataset}'`);
    const spec: DataSpec = {
      dataset, ...common, ...extras,
      samples: num('samples', { integer: true, min: 4, max: 1_000_000 }, def.defaultSamples),
      noise: num('noise', { min: 0, max: 10 }, def.defaultNoise),
      classes: num('classes', { integer: true, min: 2, max: 10 }, def.classes),
    };
    const generator = readGeneratorOptions(c, entries, def.options);
    if (!generator) return undefined;
    if (Object.keys(generator).length > 0) spec.generator = generator;
    const samplesEntry = get(entries, 'samples');
    if (!def.generated && samplesEntry && spec.samples > def.defaultSamples) {
      c.report(samplesEntry.value.range, `'${dataset}' has ${def.defaultSamples} examples; samples can only take fewer.`, 'out-of-range');
      return undefined;
    }
    return hasNaN(spec) ? undefined : spec;
  }

  c.keys(entries, [src.key, ...COMMON_KEYS, ...(USER_KEYS[src.key] ?? [])], `data for '${src.key}' files`);
  const source = readSource(c, src.key, src.value, `data.${src.key}`);
  const validationEntry = get(entries, 'validation');
  const validation = validationEntry ? readSource(c, src.key, validationEntry.value, 'data.validation') : undefined;
  if (!source || (validationEntry && !validation)) return undefined;
  if (validationEntry && get(entries, 'validationSplit')) {
    c.report(get(entries, 'validationSplit')?.keyRange ?? validationEntry.keyRange, 'validationSplit is not used when data.validation names the validation data; keep one.', 'duplicate-key');
    return undefined;
  }
  if (source.kind === 'csv' && !get(entries, 'target')) {
    c.report(src.keyRange, "csv data needs 'target': the name of the column to predict.", 'missing-key');
    return undefined;
  }
  const label = source.kind === 'csv' ? source.path : source.kind === 'idx' ? source.images : source.folder;
  const spec: DataSpec = {
    dataset: `${source.kind}: ${label}`, ...common, ...extras,
    samples: num('samples', { integer: true, min: 4, max: 100_000_000 }, 0),
    noise: 0,
    classes: 0,
    ...(validation ? { validation } : {}),
  };
  if (source.kind === 'csv') {
    const targetEntry = get(entries, 'target') as MapEntry;
    const target = c.string(targetEntry.value, 'data.target');
    if (!target) return undefined;
    source.target = target;
    if (validation?.kind === 'csv') validation.target = target;
    spec.standardize = bool('standardize') ?? true;
  }
  if (source.kind === 'images') spec.resize = bool('resize') ?? false;
  spec.source = source;
  return hasNaN(spec) ? undefined : spec;
}

const hasNaN = (spec: DataSpec): boolean => [spec.samples, spec.noise, spec.validationSplit, spec.seed, spec.classes].some(Number.isNaN);

function readSource(c: Checker, kind: string, node: SrcNode, what: string): DataSource | undefined {
  if (kind === 'csv') {
    const path = c.string(node, `${what} (a CSV file's path, relative to the model file)`);
    return path ? { kind: 'csv', path, target: '' } : undefined;
  }
  if (kind === 'images') {
    const folder = c.string(node, `${what} (a folder with one subfolder of images per class)`);
    return folder ? { kind: 'images', folder } : undefined;
  }
  const entries = c.map(node, `${what} ({images: file, labels: file}, IDX files as MNIST ships them)`);
  if (!entries) return undefined;
  c.keys(entries, ['images', 'labels'], what);
  const file = (key: string): string | undefined => {
    const e = get(entries, key);
    if (!e) c.report(node.range, `${what} needs '${key}': the path of the ${key} IDX file (gzipped or not).`, 'missing-key');
    return e ? c.string(e.value, `${what}.${key}`) : undefined;
  };
  const images = file('images');
  const labels = file('labels');
  return images && labels ? { kind: 'idx', images, labels } : undefined;
}

function readGeneratorOptions(c: Checker, entries: MapEntry[], allowed: readonly GeneratorOption[]): DataSpec['generator'] | undefined {
  const out: NonNullable<DataSpec['generator']> = {};
  let ok = true;
  for (const e of entries) {
    if (!(allowed as readonly string[]).includes(e.key) || e.key === 'classes') continue;
    const what = `data.${e.key}`;
    if (e.key === 'spread') ok = (out.spread = c.number(e.value, what, { above: 0, max: 5 })) !== undefined && ok;
    else if (e.key === 'separable') ok = (out.separable = c.boolean(e.value, what)) !== undefined && ok;
    else if (e.key === 'degree') ok = (out.degree = c.number(e.value, what, { integer: true, min: 0, max: 9 })) !== undefined && ok;
    else if (e.key === 'cells') ok = (out.cells = c.number(e.value, what, { integer: true, min: 2, max: 20 })) !== undefined && ok;
    else if (e.key === 'coefficients') {
      const items = e.value.kind === 'seq' && e.value.items.length > 0 && e.value.items.length <= 10 ? e.value.items : undefined;
      if (!items) c.report(e.value.range, `${what} must be a list of 1 to 10 numbers [c0, c1, ...] for y = c0 + c1·x + c2·x² + ...`, 'wrong-type');
      const values = items?.map((i) => c.number(i, `Each entry of ${what}`));
      if (values?.every((v): v is number => v !== undefined)) out.coefficients = values;
      else ok = false;
    }
  }
  const coeff = get(entries, 'coefficients');
  if (coeff && get(entries, 'degree')) {
    c.report(coeff.keyRange, 'Give either coefficients or degree: the coefficients fix the degree.', 'duplicate-key');
    ok = false;
  }
  return ok ? out : undefined;
}

function readAugment(c: Checker, node: SrcNode): AugmentSpec | undefined {
  const entries = c.map(node, 'data.augment');
  if (!entries) return undefined;
  c.keys(entries, AUGMENT_KEYS, 'data.augment');
  const out: AugmentSpec = {};
  let ok = true;
  const set = <K extends keyof AugmentSpec>(key: K, v: AugmentSpec[K] | undefined) => {
    if (v === undefined) ok = false;
    else out[key] = v;
  };
  for (const e of entries) {
    const what = `data.augment.${e.key}`;
    switch (e.key) {
      case 'randomCrop': set('randomCrop', c.number(e.value, `${what} (padding in pixels)`, { integer: true, min: 1, max: 64 })); break;
      case 'shift': set('shift', c.number(e.value, `${what} (pixels)`, { integer: true, min: 1, max: 64 })); break;
      case 'cutout': set('cutout', c.number(e.value, `${what} (side of the square in pixels)`, { integer: true, min: 1, max: 512 })); break;
      case 'rotation': set('rotation', c.number(e.value, `${what} (degrees)`, { above: 0, max: 180 })); break;
      case 'gaussianNoise': set('gaussianNoise', c.number(e.value, `${what} (standard deviation)`, { above: 0, max: 10 })); break;
      case 'flipHorizontal': case 'flipVertical': set(e.key, c.boolean(e.value, what)); break;
      case 'randomScale': set('randomScale', readScale(c, e.value, what)); break;
    }
  }
  return ok ? out : undefined;
}

/** `randomScale: [0.9, 1.1]`, or one number s for [1 - s, 1 + s]. */
function readScale(c: Checker, node: SrcNode, what: string): [number, number] | undefined {
  if (node.kind === 'scalar') {
    const s = c.number(node, what, { above: 0, below: 1 });
    return s === undefined ? undefined : [1 - s, 1 + s];
  }
  const pair = node.kind === 'seq' && node.items.length === 2 ? node.items.map((i) => c.number(i, `Each end of ${what}`, { above: 0, max: 10 })) : undefined;
  if (!pair) c.report(node.range, `${what} must be [min, max] zoom factors, e.g. [0.9, 1.1].`, 'wrong-type');
  const [lo, hi] = pair ?? [];
  if (lo === undefined || hi === undefined) return undefined;
  if (lo > hi) {
    c.report(node.range, `${what}: min ${lo} is above max ${hi}.`, 'out-of-range');
    return undefined;
  }
  return [lo, hi];
}

/** `true` derives the views from `augment` (flips it uses; five crops with its padding); a map sets them. */
function readTta(c: Checker, node: SrcNode, augment: AugmentSpec): TtaSpec | false | undefined {
  const padding = augment.randomCrop ?? augment.shift ?? 2;
  const derived: TtaSpec = { flipHorizontal: augment.flipHorizontal ?? false, flipVertical: augment.flipVertical ?? false, crops: 5, padding, scales: [1] };
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value ? derived : false;
  const entries = node.kind === 'map' ? node.entries : undefined;
  if (!entries) {
    c.report(node.range, 'data.testTimeAugmentation must be true, false or a map {flipHorizontal, flipVertical, crops: 1 or 5, padding, scales}.', 'wrong-type');
    return undefined;
  }
  c.keys(entries, TTA_KEYS, 'data.testTimeAugmentation');
  const out: TtaSpec = { ...derived };
  for (const e of entries) {
    const what = `data.testTimeAugmentation.${e.key}`;
    if (e.key === 'flipHorizontal' || e.key === 'flipVertical') {
      const v = c.boolean(e.value, what);
      if (v === undefined) return undefined;
      out[e.key] = v;
    } else if (e.key === 'crops') {
      const v = c.number(e.value, what, { integer: true, min: 1, max: 5 });
      if (v !== undefined && v !== 1 && v !== 5) c.report(e.value.range, `${what} must be 1 (the image) or 5 (centre and four corners).`, 'out-of-range');
      if (v !== 1 && v !== 5) return undefined;
      out.crops = v;
    } else if (e.key === 'padding') {
      const v = c.number(e.value, what, { integer: true, min: 1, max: 64 });
      if (v === undefined) return undefined;
      out.padding = v;
    } else if (e.key === 'scales') {
      const items = e.value.kind === 'seq' ? e.value.items : undefined;
      if (!items?.length) {
        c.report(e.value.range, `${what} must be a list of sizes relative to the image, e.g. [1, 1.15, 1.3].`, 'wrong-type');
        return undefined;
      }
      const scales = items.map((item) => c.number(item, what, { min: 1, max: 3 }));
      if (scales.some((v) => v === undefined)) return undefined;
      out.scales = [...new Set(scales as number[])].sort((a, b) => a - b);
    }
  }
  if (out.crops === 1 && !out.flipHorizontal && !out.flipVertical) {
    c.report(node.range, 'These settings give one view per image, the plain accuracy: add crops: 5 or a flip.', 'tta-one-view', 'warning');
  }
  return out;
}
