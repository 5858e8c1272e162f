// What each inside view draws of a statistics record. VS Code serialises every postMessage on the
// extension host's thread, so posting a whole record (~40 KB for the digits CNN) to each of the four
// panels blocked it ~14 ms per epoch; each panel now gets only its slice. The tables below are typed
// over every field of the record, so a field added to protocol/stats.ts must be given to a view (or
// to none) before this compiles; test/unit/viewSlices.test.ts checks them against webview/inside/*.ts.
import type { InsideView } from '../../protocol/inside';
import type { LayerStats, StatsRecord } from '../../protocol/stats';

const ALL: readonly InsideView[] = ['weights', 'gradients', 'filters', 'predictions'];
const W: readonly InsideView[] = ['weights'];

/** Which views read each layer field; [] = no view draws it (it stays in the run's stats.jsonl). */
export const LAYER_FIELD_VIEWS: { readonly [K in keyof LayerStats]-?: readonly InsideView[] } = {
  id: ['weights', 'gradients', 'filters'],
  kind: W,
  index: [],
  activation: W, fanIn: W, fanOut: W, target: W, kernel: W, bias: W, act: W, dead: W, saturated: W,
  gradNorm: ['gradients'], gradRms: ['gradients'], updateRatio: ['gradients'],
  weightNorm: [],
  filters: ['filters'], maps: ['filters'],
};

/** Which views read each record field (the epoch slider and header read step, epoch and when). */
export const RECORD_FIELD_VIEWS: { readonly [K in keyof StatsRecord]-?: readonly InsideView[] } = {
  step: ALL, epoch: ALL, when: ALL,
  layers: ['weights', 'gradients', 'filters'],
  probeInputs: ['filters'],
  predictions: ['predictions'],
};

/** Fields every layer that is sent keeps: the record's shape requires them (protocol/validate/statsShapes.ts). */
export const LAYER_IDENTITY: readonly (keyof LayerStats)[] = ['id', 'kind', 'index'];

const keysFor = <T extends object>(table: { readonly [K in keyof T]-?: readonly InsideView[] }, view: InsideView): (keyof T)[] =>
  (Object.keys(table) as (keyof T)[]).filter((k) => table[k].includes(view));

const LAYER_KEYS = Object.fromEntries(ALL.map((v) => [v, [...new Set([...LAYER_IDENTITY, ...keysFor<LayerStats>(LAYER_FIELD_VIEWS, v)])]])) as Record<InsideView, (keyof LayerStats)[]>;
const RECORD_KEYS = Object.fromEntries(ALL.map((v) => [v, keysFor<StatsRecord>(RECORD_FIELD_VIEWS, v).filter((k) => k !== 'layers')])) as Record<InsideView, (keyof StatsRecord)[]>;

/** The layer fields a view's slice may carry (identity included). */
export const layerKeysOf = (view: InsideView): readonly (keyof LayerStats)[] => LAYER_KEYS[view];
/** The record fields (besides layers) a view's slice may carry. */
export const recordKeysOf = (view: InsideView): readonly (keyof StatsRecord)[] => RECORD_KEYS[view];

function pick<T extends object>(from: T, keys: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k];
  return out;
}

/**
 * The part of `record` the `view` panel draws: a StatsRecord still (values shared, not copied), every
 * layer kept (in order: the Filters view asks whether a conv layer is the first) when the view reads
 * layers at all, each cut to the view's fields.
 */
export function sliceRecord(view: InsideView, record: StatsRecord): StatsRecord {
  const layerKeys = LAYER_KEYS[view];
  const layers = RECORD_FIELD_VIEWS.layers.includes(view) ? record.layers.map((l) => pick(l, layerKeys) as LayerStats) : [];
  return { ...(pick(record, RECORD_KEYS[view]) as Omit<StatsRecord, 'layers'>), layers };
}

/** Whether `record` carries nothing outside `view`'s slice (checked where slices arrive). */
export function isSliceOf(view: InsideView, record: StatsRecord): boolean {
  const recordKeys: readonly string[] = RECORD_KEYS[view];
  const layerKeys: readonly string[] = LAYER_KEYS[view];
  if (Object.keys(record).some((k) => k !== 'layers' && !recordKeys.includes(k))) return false;
  if (record.layers.length > 0 && !RECORD_FIELD_VIEWS.layers.includes(view)) return false;
  return record.layers.every((l) => Object.keys(l).every((k) => layerKeys.includes(k)));
}
