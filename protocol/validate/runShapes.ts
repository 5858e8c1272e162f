// Guards for the run data shared by both boundaries.
import type { BatchPoint, EpochPoint, RunInfo, RunSnapshot, RunStatus, RunSummary } from '../run';
import { arrayOf, isNumber, isNumeric, isString, oneOf, optional, shape } from './guards';

export const isBatchPoint = shape<BatchPoint>({ step: isNumber, epoch: isNumber, x: isNumber, loss: isNumeric, accuracy: optional(isNumeric), learningRate: optional(isNumber), endedAt: optional(isNumber) });

export const isEpochPoint = shape<EpochPoint>({
  epoch: isNumber, loss: isNumeric, accuracy: optional(isNumeric), valLoss: optional(isNumeric), valAccuracy: optional(isNumeric), valAccuracyTTA: optional(isNumeric),
  learningRate: isNumber, ensembleValAccuracy: optional(isNumeric), ensembleSize: optional(isNumber), samplesPerSec: isNumber, elapsedMs: isNumber,
});

export const isRunStatus = oneOf<RunStatus>('starting', 'running', 'completed', 'stopped', 'failed');

export const isRunInfo = shape<RunInfo>({
  id: isString, name: isString, modelFile: isString, startedAt: isString, epochs: isNumber, batchSize: isNumber,
  batchesPerEpoch: isNumber, trainSamples: isNumber, valSamples: isNumber, backend: isString,
  metrics: arrayOf(isString, 64), dataset: isString, seed: isNumber, totalParams: isNumber, backendNote: optional(isString), workers: optional(isNumber),
});

export const isRunSummary = shape<RunSummary>({
  status: oneOf('completed', 'stopped', 'failed'), endedAt: isString, durationMs: isNumber, epochsDone: isNumber,
  final: optional(isEpochPoint), error: optional(isString),
});

export const isRunSnapshot = shape<RunSnapshot>({
  info: isRunInfo, status: isRunStatus, batches: arrayOf(isBatchPoint), epochs: arrayOf(isEpochPoint),
  summary: optional(isRunSummary), runDir: optional(isString),
});
