// Guards for the compare panel's messages, both ways.
import type { CompareMetric, CompareToHost, CompareView, HostToCompare } from '../compare';
import { arrayOf, isBoolean, isNumber, isNumeric, isObject, isString, oneOf, optional, shape } from './guards';

export const isCompareMetric = oneOf<CompareMetric>('loss', 'batchLoss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate', 'samplesPerSec');
const isPoint = shape<{ x: number; y: number }>({ x: isNumber, y: isNumeric });
const isSeries = shape({ id: isString, label: isString, raw: arrayOf(isPoint), smooth: arrayOf(isPoint), best: optional(isPoint) });
const isRow = shape({ id: isString, label: isString, values: arrayOf(isString) });
const isView = shape<CompareView>({
  metric: isCompareMetric, metrics: arrayOf(isCompareMetric, 16), smoothing: isNumber, higherIsBetter: isBoolean,
  series: arrayOf(isSeries, 10_000), config: shape({ keys: arrayOf(isString), rows: arrayOf(isRow) }), missing: arrayOf(isString),
});

export function asHostToCompare(raw: unknown): HostToCompare | undefined {
  return isObject(raw) && raw.type === 'view' && isView(raw.view) ? (raw as HostToCompare) : undefined;
}

export function asCompareToHost(raw: unknown): CompareToHost | undefined {
  if (!isObject(raw)) return undefined;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'setView':
      return isCompareMetric(raw.metric) && isNumber(raw.smoothing) && raw.smoothing >= 0 && raw.smoothing < 1 ? { type: 'setView', metric: raw.metric, smoothing: raw.smoothing } : undefined;
    case 'remove':
      return isString(raw.id) ? { type: 'remove', id: raw.id } : undefined;
    case 'export':
      return raw.format === 'csv' || raw.format === 'json' ? { type: 'export', format: raw.format } : undefined;
    default:
      return undefined;
  }
}
