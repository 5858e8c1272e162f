// What every inside view receives and implements.
import type { InsideRunHeader } from '../../protocol/inside';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';

export interface InsideData {
  run: InsideRunHeader;
  /** Whole collections (parts merged), oldest first. */
  records: StatsRecord[];
  diagnostics: TrainingDiagnostic[];
}

export interface InsideViewRenderer {
  update(data: InsideData): void;
}
