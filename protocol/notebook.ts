// Host -> notebook renderer: the data of one cell's curves output (mime CURVES_MIME in
// host/notebook/cellOutput.ts). Validated by the renderer with protocol/validate/validateNotebook.ts.
import type { BatchPoint, EpochPoint, RunStatus } from './run';

export interface CurvesOutput {
  name: string;
  status: RunStatus;
  /** Epochs the run was asked for (the x axis spans them while it trains). */
  totalEpochs: number;
  epochs: EpochPoint[];
  /** Per-batch loss, thinned to a few hundred points (the faint line). */
  batches: BatchPoint[];
}
