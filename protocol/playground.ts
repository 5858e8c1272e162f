// Host <-> optimizer playground messages, the shapes they carry and their guards. The playground
// computes everything in the panel from a PlaygroundConfig (plain numbers, no tfjs), so the host only
// sends what to show.
import { arrayOf, isObject, isString, messageReader, oneOf, optional } from './guards';

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

// Guards, on both ends. The webview is untrusted: a config it sends back is checked as strictly as
// one read from a file (bounded sizes, finite numbers).
const MAX_STEPS = 5000;
const MAX_PATHS = 12;
const MAX_TEXT = 400;

const finite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const text = (v: unknown): v is string => isString(v) && v.length <= MAX_TEXT;
const pair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every(finite);
const range = (v: unknown): v is [number, number] => pair(v) && v[0] < v[1];
const unit = (v: unknown): boolean => v === undefined || (finite(v) && v >= 0 && v < 1);
const positive = (v: unknown): boolean => v === undefined || (finite(v) && v > 0);

export function isViewBox(v: unknown): v is ViewBox {
  return isObject(v) && range(v.x) && range(v.y);
}

export function isPathSpec(v: unknown): v is PathSpec {
  return isObject(v) && oneOf(...OPTIMIZER_KINDS)(v.optimizer) && finite(v.learningRate) && v.learningRate > 0 &&
    unit(v.momentum) && unit(v.decay) && unit(v.beta1) && unit(v.beta2) && positive(v.epsilon) &&
    (v.initialAccumulatorValue === undefined || (finite(v.initialAccumulatorValue) && v.initialAccumulatorValue >= 0));
}

export function isPlaygroundConfig(v: unknown): v is PlaygroundConfig {
  return isObject(v) && text(v.name) && text(v.surface) && optional(isViewBox)(v.view) && pair(v.start) &&
    Number.isInteger(v.steps) && (v.steps as number) >= 1 && (v.steps as number) <= MAX_STEPS &&
    arrayOf(isPathSpec, MAX_PATHS)(v.paths) && v.paths.length >= 1;
}

export const asPlaygroundToHost = messageReader<PlaygroundToHost>({
  ready: () => ({ type: 'ready' }),
  openFile: () => ({ type: 'openFile' }),
  changed: (v) => (isPlaygroundConfig(v.config) ? { type: 'changed', config: v.config } : undefined),
});

export function asHostToPlayground(v: unknown): HostToPlayground | undefined {
  if (!isObject(v) || v.type !== 'load') return undefined;
  const ok = isPlaygroundConfig(v.config) && optional(isString)(v.file) && arrayOf((p): p is string => isString(p) && p.length < 2000, 100)(v.problems);
  return ok ? (v as unknown as HostToPlayground) : undefined;
}

/** The state a restored panel hands back: only the parts that pass are kept. */
export function asPlaygroundState(v: unknown): PlaygroundPanelState {
  if (!isObject(v)) return {};
  return {
    ...(isString(v.file) && v.file.length < 4096 ? { file: v.file } : {}),
    ...(isPlaygroundConfig(v.config) ? { config: v.config } : {}),
  };
}
