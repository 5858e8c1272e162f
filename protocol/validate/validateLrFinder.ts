// Validation of host <-> LR finder panel messages, on both ends.
import type { HostToLrFinder, LrFinderToHost, LrFinderView, LrPoint } from '../lrFinder';
import { arrayOf, isNumber, isNumeric, isObject, isString, oneOf, optional, shape } from './guards';

const isPoint = shape<LrPoint>({ learningRate: isNumber, loss: isNumeric });
const isView = shape<LrFinderView>({
  name: isString, status: oneOf('running', 'done', 'failed'), points: arrayOf(isPoint, 100_000), smoothed: optional(arrayOf(isNumeric, 100_000)),
  suggestion: optional(shape<{ steepest: number; minimum: number }>({ steepest: isNumber, minimum: isNumber })), current: isNumber, message: optional(isString),
});

export function asHostToLrFinder(v: unknown): HostToLrFinder | undefined {
  return isObject(v) && v.type === 'show' && isView(v.view) && optional(isString)(v.modelFile) ? (v as HostToLrFinder) : undefined;
}

export function asLrFinderToHost(v: unknown): LrFinderToHost | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'apply' && isNumber(v.learningRate) && v.learningRate > 0 && v.learningRate <= 100) return { type: 'apply', learningRate: v.learningRate };
  return undefined;
}
