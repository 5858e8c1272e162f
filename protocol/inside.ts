// Host <-> inside panels (Weights, Gradient Flow, Filters, Predictions). Validated on arrival by
// protocol/validate/validateInside.ts. One page serves the four views; `view` says which it draws.
import type { RunStatus } from './run';
import type { StatsRecord, TrainingDiagnostic } from './stats';
import type { ExamplePick, PickedMapsReply } from './pickedMaps';

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
   * cut to what `view` draws (common/stats/viewSlices.ts sliceRecord), here and in 'stats'.
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
  | { type: 'followLive' };

/** What an inside panel keeps with setState so a reloaded window finds its run again. */
export interface InsidePanelState {
  view: InsideView;
  runId?: string;
  runDir?: string;
  /** The example picked in the Filters panel, asked for again after a reload. */
  pick?: ExamplePick;
}
