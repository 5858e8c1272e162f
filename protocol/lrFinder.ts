// Host <-> LR finder panel messages, and the guards both ends validate them with.
import { arrayOf, isNumber, isNumeric, isObject, isString, oneOf, optional, shape } from './guards';

export interface LrPoint {
  learningRate: number;
  loss: number;
}

export interface LrFinderView {
  name: string;
  status: 'running' | 'done' | 'failed';
  points: LrPoint[];
  /** Smoothed loss, one per point, once the sweep is done. */
  smoothed?: number[];
  suggestion?: { steepest: number; minimum: number };
  /** The rate the model file has now. */
  current: number;
  message?: string;
  /** What runs the sweep, as the run names its backend: "wasm", "pytorch (cpu)"… */
  engine?: string;
}

/** `modelFile`: the file swept (a file on disk), which the page keeps for a reloaded window. */
export type HostToLrFinder = { type: 'show'; view: LrFinderView; modelFile?: string };

/** What the page keeps with setState: the last sweep shown and its model file. */
export interface LrFinderPanelState {
  modelFile: string;
  view: LrFinderView;
}

export type LrFinderToHost = { type: 'ready' } | { type: 'apply'; learningRate: number };

// Guards, on both ends.
const isPoint = shape<LrPoint>({ learningRate: isNumber, loss: isNumeric });
const isView = shape<LrFinderView>({
  name: isString, status: oneOf('running', 'done', 'failed'), points: arrayOf(isPoint, 100_000), smoothed: optional(arrayOf(isNumeric, 100_000)),
  suggestion: optional(shape<{ steepest: number; minimum: number }>({ steepest: isNumber, minimum: isNumber })), current: isNumber, message: optional(isString), engine: optional(isString),
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
