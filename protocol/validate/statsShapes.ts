// Guards for the statistics and training diagnostics (protocol/stats.ts), used on the worker ->
// host boundary, the host -> inside-panel boundary and when reading stats.jsonl back.
import type { FeatureMaps, FilterImages, Histogram, LayerStats, PredictionStats, StatsRecord, TrainingDiagnostic, ValueSummary } from '../stats';
import { filterStackShape, isConsistent } from '../../common/stats/mapCodec';
import { arrayOf, isNumber, isNumeric, isObject, isString, oneOf, optional, shape } from './guards';

const numbers = (max: number) => arrayOf(isNumeric, max);
const isHistogram = shape<Histogram>({ lo: isNumeric, hi: isNumeric, counts: numbers(1024) });
const isSummary = shape<ValueSummary>({
  count: isNumber, min: isNumeric, max: isNumeric, mean: isNumeric, std: isNumeric, zeros: isNumber, nan: isNumber, inf: isNumber, hist: isHistogram,
});
const isQuantized = shape<NonNullable<FeatureMaps['quantized']>>({ scales: arrayOf(numbers(100_000), 64), bytes: arrayOf(isString, 64) });
const isFilterFields = shape<FilterImages>({ shape: numbers(4), values: optional(numbers(100_000)), quantized: optional(isQuantized), totalFilters: isNumber });
const isFilters = (v: unknown): v is FilterImages => isFilterFields(v) && (v.values !== undefined || v.quantized !== undefined) &&
  (v.quantized === undefined || (v.quantized.bytes.length === 1 && isConsistent(v.quantized, filterStackShape(v.shape))));
const isMapFields = shape<FeatureMaps>({ shape: numbers(3), examples: optional(arrayOf(numbers(100_000), 64)), quantized: optional(isQuantized) });
/** Either encoding, and quantized bytes that decode to the stated shape. */
const isMaps = (v: unknown): v is FeatureMaps => isMapFields(v) && (v.examples !== undefined || v.quantized !== undefined) &&
  (v.quantized === undefined || isConsistent(v.quantized, v.shape));
const isTarget = shape<NonNullable<LayerStats['target']>>({ rule: oneOf('glorot', 'he', 'lecun'), std: isNumeric, initializer: isString, initializerStd: optional(isNumeric) });
const optNum = optional(isNumeric);

export const isLayerStats = shape<LayerStats>({
  id: isString, kind: isString, index: isNumber, activation: optional(isString), fanIn: optNum, fanOut: optNum, target: optional(isTarget),
  kernel: optional(isSummary), bias: optional(isSummary), gradNorm: optNum, gradRms: optNum, weightNorm: optNum, updateRatio: optNum,
  act: optional(isSummary), dead: optNum, saturated: optNum, filters: optional(isFilters), maps: optional(isMaps),
});

const isPredictions = shape<PredictionStats>({
  grid: optional(shape<NonNullable<PredictionStats['grid']>>({ x0: isNumeric, x1: isNumeric, y0: isNumeric, y1: isNumeric, n: isNumber, classes: isNumber, values: numbers(100_000) })),
  points: optional(shape<NonNullable<PredictionStats['points']>>({ x: arrayOf(numbers(8), 10_000), label: numbers(10_000) })),
  curve: optional(shape<NonNullable<PredictionStats['curve']>>({ x: numbers(10_000), y: numbers(10_000) })),
  confusion: optional(arrayOf(numbers(1000), 1000)),
});

export const isStatsRecord = shape<StatsRecord>({
  step: isNumber, epoch: isNumber, when: oneOf('init', 'epoch', 'step'), layers: arrayOf(isLayerStats, 10_000),
  probeInputs: optional(shape<NonNullable<StatsRecord['probeInputs']>>({ shape: numbers(8), examples: arrayOf(numbers(100_000), 64) })),
  predictions: optional(isPredictions),
});

const isPosition = shape<{ line: number; character: number }>({ line: isNumber, character: isNumber });
const isPath = arrayOf((v: unknown): v is string | number => isString(v) || isNumber(v), 32);

export const isTrainingDiagnostic = shape<TrainingDiagnostic>({
  severity: oneOf('error', 'warning', 'info'), message: isString, code: isString,
  range: (v: unknown) => isObject(v) && isPosition(v.start) && isPosition(v.end),
  anchor: isPath, answers: arrayOf(isPath, 32), answered: optional(isString),
});
