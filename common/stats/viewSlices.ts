// Cuts a statistics record to what one inside view draws. Which fields each view reads is the
// boundary's own table (protocol/inside.ts LAYER_FIELD_VIEWS, RECORD_FIELD_VIEWS), checked on arrival
// by its isSliceOf; this is the host's half, cutting before it posts.
import { layerKeysOf, recordKeysOf, RECORD_FIELD_VIEWS, type InsideView } from '../../protocol/inside';
import type { LayerStats, StatsRecord } from '../../protocol/stats';

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
  const layerKeys = layerKeysOf(view);
  const layers = RECORD_FIELD_VIEWS.layers.includes(view) ? record.layers.map((l) => pick(l, layerKeys) as LayerStats) : [];
  return { ...(pick(record, recordKeysOf(view)) as Omit<StatsRecord, 'layers'>), layers };
}
