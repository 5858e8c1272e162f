// Host <-> compare panel messages. Validated on arrival by protocol/validate/validateCompare.ts.

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
