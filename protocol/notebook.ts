// Host -> notebook renderer: the data of one cell's curves output (mime CURVES_MIME in
// host/notebook/cellOutput.ts), and the guard the renderer checks it with.
import { isBatchPoint, isEpochPoint, isRunStatus, type BatchPoint, type EpochPoint, type RunStatus } from './run';
import { arrayOf, isNumber, isString, shape } from './guards';

export interface CurvesOutput {
  name: string;
  status: RunStatus;
  /** Epochs the run was asked for (the x axis spans them while it trains). */
  totalEpochs: number;
  epochs: EpochPoint[];
  /** Per-batch loss, thinned to a few hundred points (the faint line). */
  batches: BatchPoint[];
}

// Guard.
const isCurvesOutput = shape<CurvesOutput>({
  name: isString, status: isRunStatus, totalEpochs: isNumber, epochs: arrayOf(isEpochPoint, 100_000), batches: arrayOf(isBatchPoint, 100_000),
});

export function asCurvesOutput(raw: unknown): CurvesOutput | undefined {
  return isCurvesOutput(raw) ? raw : undefined;
}
