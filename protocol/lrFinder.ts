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

/** `modelFile`: the file swept (a file on disk), which the page keeps for a reloaded window. */
export type HostToLrFinder = { type: 'show'; view: LrFinderView; modelFile?: string };

/** What the page keeps with setState: the last sweep shown and its model file. */
export interface LrFinderPanelState {
  modelFile: string;
  view: LrFinderView;
}

export type LrFinderToHost = { type: 'ready' } | { type: 'apply'; learningRate: number };
