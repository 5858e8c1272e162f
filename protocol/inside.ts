// Host <-> inside panels (Weights, Gradient Flow, Filters, Predictions): the messages, the slice of
// a statistics record each view is sent, and the guards both ends validate with. One page serves the
// four views; `view` says which it draws.
import { isRunStatus, type RunStatus } from './run';
import { isStatsRecord, isTrainingDiagnostic, type LayerStats, type StatsRecord, type TrainingDiagnostic } from './stats';
import { isExamplePick, isPickedMapsReply, type ExamplePick, type PickedMapsReply } from './pickedMaps';
import { arrayOf, isObject, isString, oneOf, optional, shape } from './guards';
import { isConvolutionSetup, type ConvolutionSetup } from './convolution';

export type InsideView = 'weights' | 'gradients' | 'filters' | 'predictions';

export interface InsideRunHeader {
  id: string;
  name: string;
  status: RunStatus;
  modelFile: string;
  runDir?: string;
}

export type HostToInside =
  /**
   * Everything about the run this panel follows, on (re)load and when it switches run. Records are
   * cut to what `view` draws (viewSlice below; common/stats/viewSlices.ts cuts them), here and in 'stats'.
   */
  | { type: 'snapshot'; view: InsideView; run: InsideRunHeader; records: StatsRecord[]; diagnostics: TrainingDiagnostic[]; picked?: PickedMapsReply; following?: 'live' | 'selected' }
  /** One new statistics part of the run the panel shows, cut to `view`'s slice. */
  | { type: 'stats'; runId: string; view: InsideView; record: StatsRecord }
  | { type: 'status'; runId: string; status: RunStatus }
  /** Feature maps for the example picked in the Filters panel (or why there are none). */
  | { type: 'pickedMaps'; runId: string; reply: PickedMapsReply };

export type InsideToHost = { type: 'ready' }
  /** Feature maps of every conv layer for this example, with the current (or final) weights. */
  | { type: 'pickExample'; pick: ExamplePick }
  /** Stop showing the run picked in the Runs view; follow the newest run again. */
  | { type: 'followLive' }
  /** Open the convolution explorer on a trained kernel and the example it was applied to. */
  | { type: 'exploreConvolution'; setup: ConvolutionSetup };

/** What an inside panel keeps with setState so a reloaded window finds its run again. */
export interface InsidePanelState {
  view: InsideView;
  runId?: string;
  runDir?: string;
  /** The example picked in the Filters panel, asked for again after a reload. */
  pick?: ExamplePick;
}

// What each view draws of a statistics record. VS Code serialises every postMessage on the
// extension host's thread, so posting a whole record (~40 KB for the digits CNN) to each of the four
// panels blocked it ~14 ms per epoch; each panel gets only its slice (cut by
// common/stats/viewSlices.ts sliceRecord, checked on arrival by isSliceOf). The tables are typed
// over every field of the record, so a field added to protocol/stats.ts must be given to a view (or
// to none) before this compiles; test/unit/viewSlices.test.ts checks them against webview/inside/*.ts.

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

/** Fields every layer that is sent keeps: the record's shape requires them (isLayerStats in protocol/stats.ts). */
export const LAYER_IDENTITY: readonly (keyof LayerStats)[] = ['id', 'kind', 'index'];

const keysFor = <T extends object>(table: { readonly [K in keyof T]-?: readonly InsideView[] }, view: InsideView): (keyof T)[] =>
  (Object.keys(table) as (keyof T)[]).filter((k) => table[k].includes(view));

const LAYER_KEYS = Object.fromEntries(ALL.map((v) => [v, [...new Set([...LAYER_IDENTITY, ...keysFor<LayerStats>(LAYER_FIELD_VIEWS, v)])]])) as Record<InsideView, (keyof LayerStats)[]>;
const RECORD_KEYS = Object.fromEntries(ALL.map((v) => [v, keysFor<StatsRecord>(RECORD_FIELD_VIEWS, v).filter((k) => k !== 'layers')])) as Record<InsideView, (keyof StatsRecord)[]>;

/** The layer fields a view's slice may carry (identity included). */
export const layerKeysOf = (view: InsideView): readonly (keyof LayerStats)[] => LAYER_KEYS[view];
/** The record fields (besides layers) a view's slice may carry. */
export const recordKeysOf = (view: InsideView): readonly (keyof StatsRecord)[] => RECORD_KEYS[view];

/** Whether `record` carries nothing outside `view`'s slice (checked where slices arrive). */
export function isSliceOf(view: InsideView, record: StatsRecord): boolean {
  const recordKeys: readonly string[] = RECORD_KEYS[view];
  const layerKeys: readonly string[] = LAYER_KEYS[view];
  if (Object.keys(record).some((k) => k !== 'layers' && !recordKeys.includes(k))) return false;
  if (record.layers.length > 0 && !RECORD_FIELD_VIEWS.layers.includes(view)) return false;
  return record.layers.every((l) => Object.keys(l).every((k) => layerKeys.includes(k)));
}

// Guards, on both ends.

export const isInsideView = oneOf<InsideView>('weights', 'gradients', 'filters', 'predictions');

const isHeader = shape<Extract<HostToInside, { type: 'snapshot' }>['run']>({
  id: isString, name: isString, status: isRunStatus, modelFile: isString, runDir: optional(isString),
});

const guards: { [K in HostToInside['type']]: (v: Record<string, unknown>) => boolean } = {
  // Records are slices: a field another view draws means the host sent the wrong slice.
  snapshot: (v) => isInsideView(v.view) && isHeader(v.run) && arrayOf(isStatsRecord, 100_000)(v.records) && v.records.every((r) => isSliceOf(v.view as InsideView, r)) && arrayOf(isTrainingDiagnostic, 1000)(v.diagnostics)
    && optional(isPickedMapsReply)(v.picked) && optional(oneOf('live', 'selected'))(v.following),
  stats: (v) => isString(v.runId) && isInsideView(v.view) && isStatsRecord(v.record) && isSliceOf(v.view, v.record),
  status: (v) => isString(v.runId) && isRunStatus(v.status),
  pickedMaps: (v) => isString(v.runId) && isPickedMapsReply(v.reply),
};

export function asHostToInside(v: unknown): HostToInside | undefined {
  if (!isObject(v) || !isString(v.type) || !Object.hasOwn(guards, v.type)) return undefined;
  return guards[v.type as HostToInside['type']](v) ? (v as unknown as HostToInside) : undefined;
}

export function asInsideToHost(v: unknown): InsideToHost | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'followLive') return { type: 'followLive' };
  if (v.type === 'pickExample') return isExamplePick(v.pick) ? { type: 'pickExample', pick: { split: v.pick.split, index: v.pick.index } } : undefined;
  if (v.type === 'exploreConvolution') return isConvolutionSetup(v.setup) ? { type: 'exploreConvolution', setup: v.setup } : undefined;
  return undefined;
}
