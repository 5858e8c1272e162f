// Host <-> compare panel messages, and the guards both ends validate them with.
import { arrayOf, isBoolean, isNumber, isNumeric, isObject, isString, messageReader, oneOf, optional, shape } from './guards';

export type CompareMetric = 'loss' | 'batchLoss' | 'accuracy' | 'valLoss' | 'valAccuracy' | 'learningRate' | 'samplesPerSec';

export interface ComparePoint {
  x: number;
  y: number;
}

export interface CompareSeries {
  /** The run folder: stable across reloads. */
  id: string;
  label: string;
  /** Thinned raw values (the faint line). */
  raw: ComparePoint[];
  /** Thinned smoothed values (the solid line); the smoothing ran on every point. */
  smooth: ComparePoint[];
  best?: ComparePoint;
}

export interface CompareView {
  metric: CompareMetric;
  /** Which metrics at least one of the runs has. */
  metrics: CompareMetric[];
  smoothing: number;
  /** true: higher is better (accuracy); the best markers follow it. */
  higherIsBetter: boolean;
  series: CompareSeries[];
  config: { keys: string[]; rows: { id: string; label: string; values: string[] }[] };
  /** Run folders the user asked for whose records could not be read. */
  missing: string[];
}

export type HostToCompare = { type: 'view'; view: CompareView };

export type CompareToHost =
  | { type: 'ready' }
  | { type: 'setView'; metric: CompareMetric; smoothing: number }
  | { type: 'remove'; id: string }
  | { type: 'export'; format: 'csv' | 'json' };

/** What the panel keeps with setState so a reloaded window shows the same comparison. */
export interface ComparePanelState {
  runDirs: string[];
  metric: CompareMetric;
  smoothing: number;
}

// Guards, on both ends.
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

export const asCompareToHost = messageReader<CompareToHost>({
  ready: () => ({ type: 'ready' }),
  setView: (v) => (isCompareMetric(v.metric) && isNumber(v.smoothing) && v.smoothing >= 0 && v.smoothing < 1 ? { type: 'setView', metric: v.metric, smoothing: v.smoothing } : undefined),
  remove: (v) => (isString(v.id) ? { type: 'remove', id: v.id } : undefined),
  export: (v) => (v.format === 'csv' || v.format === 'json' ? { type: 'export', format: v.format } : undefined),
});
