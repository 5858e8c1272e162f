// Host <-> LR finder panel messages. Validated on arrival by protocol/validate/validateLrFinder.ts.

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
}

export type HostToLrFinder = { type: 'show'; view: LrFinderView };

export type LrFinderToHost = { type: 'ready' } | { type: 'apply'; learningRate: number };
