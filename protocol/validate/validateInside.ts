// Validation of host <-> inside panel messages, on both ends.
import type { HostToInside, InsideToHost, InsideView } from '../inside';
import { arrayOf, isObject, isString, oneOf, optional, shape } from './guards';
import { isRunStatus } from './runShapes';
import { isStatsRecord, isTrainingDiagnostic } from './statsShapes';
import { isExamplePick, isPickedMapsReply } from './validatePickedMaps';
import { isSliceOf } from '../../common/stats/viewSlices';

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
  return undefined;
}
