// The config table of the compare panel: each run's model file flattened to dotted keys
// (train.learningRate, model.layers[0].dense.units), keeping only keys whose values differ.
import { parse } from 'yaml';

export type Flat = Map<string, string>;

export function flattenConfig(text: string): Flat {
  const out: Flat = new Map();
  let value: unknown;
  try {
    value = parse(text);
  } catch {
    return out;
  }
  walk(value, '', out);
  return out;
}

function walk(v: unknown, path: string, out: Flat): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, '[]');
    v.forEach((item, i) => walk(item, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v);
    if (entries.length === 0 && path) out.set(path, '{}');
    for (const [k, child] of entries) walk(child, path ? `${path}.${k}` : k, out);
  } else if (path) {
    out.set(path, v === undefined ? '' : String(v));
  }
}

export interface ConfigTable {
  keys: string[];
  /** One row per run, one cell per key ('' where the run's file does not have the key). */
  rows: string[][];
}

/** Keys whose value is not the same in every run (a key missing in some runs counts as differing). */
export function differingKeys(configs: Flat[]): ConfigTable {
  const all = new Set<string>();
  for (const c of configs) for (const k of c.keys()) all.add(k);
  const keys = [...all].filter((k) => {
    const first = configs[0]?.get(k);
    return configs.some((c) => c.get(k) !== first);
  }).filter((k) => k !== 'name' && k !== 'description');
  return { keys, rows: configs.map((c) => keys.map((k) => c.get(k) ?? '')) };
}
