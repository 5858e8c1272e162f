// Guard for the data a notebook cell output hands to the Model Lab renderer.
import type { CurvesOutput } from '../notebook';
import { arrayOf, isNumber, isString, shape } from './guards';
import { isBatchPoint, isEpochPoint, isRunStatus } from './runShapes';

const isCurvesOutput = shape<CurvesOutput>({
  name: isString, status: isRunStatus, totalEpochs: isNumber, epochs: arrayOf(isEpochPoint, 100_000), batches: arrayOf(isBatchPoint, 100_000),
});

export function asCurvesOutput(raw: unknown): CurvesOutput | undefined {
  return isCurvesOutput(raw) ? raw : undefined;
}
