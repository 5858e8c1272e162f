// Host <-> inside panels (Weights, Gradient Flow, Filters, Predictions). Validated on arrival by
// core/protocol/validateInside.ts. One page serves the four views; `view` says which it draws.
import type { RunStatus } from './run';
import type { StatsRecord, TrainingDiagnostic } from './stats';

export type InsideView = 'weights' | 'gradients' | 'filters' | 'predictions';

export interface InsideRunHeader {
  id: string;
  name: string;
  status: RunStatus;
  modelFile: string;
  runDir?: string;
}

export type HostToInside =
  /** Everything about the run this panel follows, on (re)load and when it switches run. */
  | { type: 'snapshot'; view: InsideView; run: InsideRunHeader; records: StatsRecord[]; diagnostics: TrainingDiagnostic[] }
  /** One new statistics part of the run the panel shows. */
  | { type: 'stats'; runId: string; record: StatsRecord }
  | { type: 'status'; runId: string; status: RunStatus };

export type InsideToHost = { type: 'ready' };

/** What an inside panel keeps with setState so a reloaded window finds its run again. */
export interface InsidePanelState {
  view: InsideView;
  runId?: string;
  runDir?: string;
}
