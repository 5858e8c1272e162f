// The one message the first replica sends the second: what to build, where the wasm binaries are,
// the shared memory, and the first replica's initial weights (so both start from the same values
// whatever the initializers do). Checked on arrival like every message crossing a thread boundary.
import type { ModelSpec } from '../../../model/language/model';
import type { SharedLayout } from './sharedState';

export interface ReplicaInit {
  type: 'init';
  spec: ModelSpec;
  wasmDir: string;
  sab: SharedArrayBuffer;
  layout: SharedLayout;
  xShape: number[];
  yWidth: number;
  weights: { values: Float32Array; shape: number[] }[];
}

export type ReplicaToCoordinator = { type: 'ready' } | { type: 'error'; message: string };

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isInts = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => Number.isInteger(d) && d >= 0);

export function asReplicaInit(v: unknown): ReplicaInit | undefined {
  if (!isObj(v) || v.type !== 'init' || typeof v.wasmDir !== 'string' || !(v.sab instanceof SharedArrayBuffer)) return undefined;
  const l = v.layout;
  if (!isObj(l) || !['exchange', 'maxRows', 'xRow', 'yWidth'].every((k) => Number.isInteger(l[k]))) return undefined;
  if (!isInts(v.xShape) || !Number.isInteger(v.yWidth)) return undefined;
  if (!Array.isArray(v.weights) || !v.weights.every((w) => isObj(w) && w.values instanceof Float32Array && isInts(w.shape))) return undefined;
  const spec = v.spec;
  if (!isObj(spec) || !isObj(spec.model) || !isObj(spec.train) || !Array.isArray(spec.model.layers)) return undefined;
  return v as unknown as ReplicaInit;
}

export function asReplicaMessage(v: unknown): ReplicaToCoordinator | undefined {
  if (!isObj(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'error' && typeof v.message === 'string') return { type: 'error', message: v.message };
  return undefined;
}
