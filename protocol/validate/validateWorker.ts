// Validation of host <-> worker messages, on both ends.
import type { HostToWorker, LrFinderRequest, WorkerToHost } from '../worker';
import { arrayOf, isBoolean, isNumber, isObject, isString, oneOf, optional, shape } from './guards';
import { isBatchPoint, isEpochPoint, isRunInfo, isRunSummary } from './runShapes';
import { isStatsRecord, isTrainingDiagnostic } from './statsShapes';
import { isExamplePick, isPickedMapsReply } from './validatePickedMaps';

const isLrFinder = shape<LrFinderRequest>({ minLearningRate: isNumber, maxLearningRate: isNumber, steps: isNumber });

const isStart = shape<Extract<HostToWorker, { type: 'start' }>>({
  type: oneOf('start'), runId: isString, source: isString, modelFile: isString, assetsDir: isString, backend: oneOf('auto', 'wasm', 'cpu'),
  runDir: optional(isString), lrFinder: optional(isLrFinder), lowerPriority: optional(isBoolean),
});

const isServeMaps = shape<Extract<HostToWorker, { type: 'serveMaps' }>>({
  type: oneOf('serveMaps'), runDir: isString, source: isString, modelFile: isString, assetsDir: isString, backend: oneOf('auto', 'wasm', 'cpu'),
});

export function asHostToWorker(v: unknown): HostToWorker | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'start') return isStart(v) ? v : undefined;
  if (v.type === 'stop') return { type: 'stop' };
  if (v.type === 'pickMaps') return isExamplePick(v.pick) ? { type: 'pickMaps', pick: { split: v.pick.split, index: v.pick.index } } : undefined;
  if (v.type === 'serveMaps') return isServeMaps(v) ? v : undefined;
  return undefined;
}

const workerGuards: { [K in WorkerToHost['type']]: (v: Record<string, unknown>) => boolean } = {
  started: (v) => isRunInfo(v.info),
  progress: (v) => arrayOf(isBatchPoint, 100_000)(v.batches) && arrayOf(isEpochPoint, 100_000)(v.epochs),
  log: (v) => oneOf('info', 'warn')(v.level) && isString(v.message),
  stats: (v) => isStatsRecord(v.record),
  diagnostics: (v) => arrayOf(isTrainingDiagnostic, 1000)(v.list),
  pickedMaps: (v) => isPickedMapsReply(v.reply),
  done: (v) => isRunSummary(v.summary),
  error: (v) => isString(v.message) && optional(isString)(v.stack),
};

export function asWorkerToHost(v: unknown): WorkerToHost | undefined {
  if (!isObject(v) || !isString(v.type) || !Object.hasOwn(workerGuards, v.type)) return undefined;
  return workerGuards[v.type as WorkerToHost['type']](v) ? (v as unknown as WorkerToHost) : undefined;
}
