// Validation of host <-> optimizer playground messages, on both ends. The webview is untrusted:
// a config it sends back is checked as strictly as one read from a file (bounded sizes, finite numbers).
import { OPTIMIZER_KINDS, type HostToPlayground, type PathSpec, type PlaygroundConfig, type PlaygroundPanelState, type PlaygroundToHost, type ViewBox } from '../playground';
import { arrayOf, isObject, isString, oneOf, optional } from './guards';

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

export function asPlaygroundToHost(v: unknown): PlaygroundToHost | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'ready':
    case 'openFile':
      return { type: v.type };
    case 'changed':
      return isPlaygroundConfig(v.config) ? { type: 'changed', config: v.config } : undefined;
    default:
      return undefined;
  }
}

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
