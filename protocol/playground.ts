// Host <-> optimizer playground messages and the shapes they carry. Validated on arrival by
// protocol/validate/validatePlayground.ts. The playground computes everything in the panel from a
// PlaygroundConfig (plain numbers, no tfjs), so the host only sends what to show.

export const OPTIMIZER_KINDS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam'] as const;
export type OptimizerKind = (typeof OPTIMIZER_KINDS)[number];

/** One path on the surface: an optimizer with its settings (tfjs/Keras names and defaults). */
export interface PathSpec {
  optimizer: OptimizerKind;
  learningRate: number;
  /** momentum, nesterov (default 0.9) and rmsprop (default 0) */
  momentum?: number;
  /** rmsprop's decay of the mean square (default 0.9) */
  decay?: number;
  /** adam (defaults 0.9, 0.999) */
  beta1?: number;
  beta2?: number;
  /** adagrad, rmsprop, adam (default 1e-7, tfjs's float32 epsilon) */
  epsilon?: number;
  /** adagrad (default 0.1) */
  initialAccumulatorValue?: number;
}

export interface ViewBox {
  x: [number, number];
  y: [number, number];
}

export interface PlaygroundConfig {
  name: string;
  /** A built-in surface id (rosenbrock, saddle, ...) or a formula in x and y. */
  surface: string;
  /** The plotted region; default: the built-in's, or around the start and the paths. */
  view?: ViewBox;
  start: [number, number];
  steps: number;
  paths: PathSpec[];
}

export type HostToPlayground =
  /** What to show: sent when the panel (re)loads and whenever its surface file changes. */
  | { type: 'load'; config: PlaygroundConfig; file?: string; problems: string[] };

export type PlaygroundToHost =
  | { type: 'ready' }
  /** The user changed the settings in the panel; the host keeps them for a reload. */
  | { type: 'changed'; config: PlaygroundConfig }
  /** Open the surface file the panel shows. */
  | { type: 'openFile' };

/** What the panel keeps with vscode.setState so a reloaded window can restore it. */
export interface PlaygroundPanelState {
  file?: string;
  config?: PlaygroundConfig;
  tab?: 'paths' | 'chain';
  chain?: { expression: string; values: Record<string, number> };
}
