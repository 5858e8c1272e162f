// What every inside view receives and implements.
import type { InsideRunHeader } from '../../protocol/inside';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import type { PickedMapsReply } from '../../protocol/pickedMaps';

export interface InsideData {
  run: InsideRunHeader;
  /** Whole collections (parts merged), oldest first. */
  records: StatsRecord[];
  diagnostics: TrainingDiagnostic[];
  /** Feature maps for the example picked in the Filters panel, the newest answer. */
  picked?: PickedMapsReply;
  /** 'selected': a run picked in the Runs view (the page offers to follow the live run again). */
  following?: 'live' | 'selected';
}

export interface InsideViewRenderer {
  update(data: InsideData): void;
}
