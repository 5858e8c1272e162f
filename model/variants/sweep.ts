// The `sweep:` section of a model file: which keys to vary and how, expanded into the runs it means.
//
//   sweep:
//     method: grid            # every combination; or random: `samples` draws
//     samples: 8              # random only
//     seed: 1                 # random only (default 1): the same file gives the same draws
//     parallel: 2             # runs at once (default 2, at most modelLab.maxConcurrentRuns)
//     params:
//       train.learningRate: [0.01, 0.1, 0.3]           # a list of values
//       model.layers[0].dense.units: [4, 8, 16]
//       train.momentum: {min: 0.5, max: 0.99}          # random: uniform in a range
//       train.learningRate: {min: 0.001, max: 1, log: true}   # random: log-uniform
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Range, SpecDiagnostic } from '../language/diagnostic';
import { makeRng } from '../../common/random';
import { formatKeyPath, hasPath, parseKeyPath, withValues, modelName, type KeyPath } from './hyperparams';

export const MAX_SWEEP_RUNS = 100;

type Param = { path: KeyPath; values: unknown[] } | { path: KeyPath; min: number; max: number; log: boolean; integer: boolean };

export interface Sweep {
  method: 'grid' | 'random';
  samples: number;
  seed: number;
  parallel: number;
  params: Param[];
  /** Where `sweep:` is, for the CodeLens. */
  range: Range;
}

export interface SweepRun {
  name: string;
  source: string;
  values: { key: string; value: unknown }[];
}

export function readSweep(text: string): { sweep?: Sweep; diagnostics: SpecDiagnostic[] } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const diagnostics: SpecDiagnostic[] = [];
  if (doc.errors.length || !isMap(doc.contents)) return { diagnostics };
  const pair = doc.contents.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === 'sweep');
  if (!pair) return { diagnostics };
  const rangeOf = (n: unknown): Range => {
    const r = (n as Node | undefined)?.range ?? (pair.key as Node).range ?? [0, 0];
    const a = lines.linePos(r[0]);
    const b = lines.linePos(r[1]);
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const report = (n: unknown, message: string) => diagnostics.push({ severity: 'error', message, range: rangeOf(n), code: 'sweep' });
  const at = rangeOf(pair.key);
  const body = pair.value;
  if (!isMap(body)) {
    report(body ?? pair.key, "'sweep' is a map with 'params' (and 'method', 'samples', 'seed', 'parallel').");
    return { diagnostics };
  }
  const get = (key: string) => body.items.find((p) => isScalar(p.key) && p.key.value === key);
  for (const p of body.items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (!['method', 'samples', 'seed', 'parallel', 'params'].includes(k)) report(p.key, `Unknown sweep key '${k}'. Sweep keys: method, samples, seed, parallel, params.`);
  }
  const num = (key: string, def: number, min: number, max: number): number => {
    const p = get(key);
    if (!p) return def;
    const v = isScalar(p.value) ? p.value.value : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
      report(p.value ?? p.key, `'${key}' is a whole number from ${min} to ${max}.`);
      return def;
    }
    return v;
  };
  const methodPair = get('method');
  const method = methodPair && isScalar(methodPair.value) ? methodPair.value.value : 'grid';
  if (method !== 'grid' && method !== 'random') report(methodPair?.value, "'method' is 'grid' (every combination) or 'random'.");
  const params: Param[] = [];
  const paramsPair = get('params');
  if (!paramsPair || !isMap(paramsPair.value) || paramsPair.value.items.length === 0) report(paramsPair?.value ?? paramsPair?.key ?? pair.key, "The sweep needs 'params': a map from a key such as train.learningRate to a list of values.");
  else {
    for (const p of paramsPair.value.items) {
      const keyText = isScalar(p.key) ? String(p.key.value) : '';
      const path = parseKeyPath(keyText);
      if (!path) {
        report(p.key, `'${keyText}' is not a key path; write it like train.learningRate or model.layers[0].dense.units.`);
        continue;
      }
      if (!hasPath(text, path)) {
        report(p.key, `The model file has no value at ${keyText}; a sweep changes values that are there.`);
        continue;
      }
      const v = p.value;
      if (isSeq(v)) {
        const values = v.items.map((i) => (isScalar(i) ? i.value : undefined));
        if (values.length === 0 || values.some((x) => x === undefined || x === null)) report(v, `The values of ${keyText} are a non-empty list of numbers or words.`);
        else params.push({ path, values });
      } else if (isMap(v)) {
        const f = (k: string) => {
          const item = v.items.find((i) => isScalar(i.key) && i.key.value === k);
          return item && isScalar(item.value) ? item.value.value : undefined;
        };
        const min = f('min');
        const max = f('max');
        const log = f('log') === true;
        if (typeof min !== 'number' || typeof max !== 'number' || !(min < max) || (log && min <= 0)) report(v, `A range is {min, max} with min < max${log ? ' and min > 0 for log: true' : ''}.`);
        else if (method !== 'random') report(v, `A range needs method: random (a grid needs a list of values for ${keyText}).`);
        else params.push({ path, min, max, log, integer: Number.isInteger(min) && Number.isInteger(max) && !log && typeof parseDocument(text).getIn(path) === 'number' && Number.isInteger(parseDocument(text).getIn(path)) });
      } else report(v ?? p.key, `The values of ${keyText} are a list ([0.01, 0.1]) or a range ({min: 0.001, max: 1, log: true}).`);
    }
  }
  const sweep: Sweep = {
    method: method === 'random' ? 'random' : 'grid', samples: num('samples', 8, 1, MAX_SWEEP_RUNS), seed: num('seed', 1, 0, 2 ** 31), parallel: num('parallel', 2, 1, 4), params, range: at,
  };
  if (diagnostics.length === 0) {
    const n = countRuns(sweep);
    if (n > MAX_SWEEP_RUNS) report(paramsPair?.value, `This sweep means ${n} runs; at most ${MAX_SWEEP_RUNS}. Use fewer values or method: random.`);
  }
  return diagnostics.length ? { diagnostics } : { sweep, diagnostics };
}

export function countRuns(s: Sweep): number {
  if (s.method === 'random') return s.samples;
  return s.params.reduce((n, p) => n * ('values' in p ? p.values.length : 1), 1);
}

/** The runs of the sweep in order: grid combinations (last key varies fastest) or seeded random draws. */
export function expandSweep(text: string, s: Sweep): SweepRun[] {
  const base = modelName(text, 'model');
  const combos: unknown[][] = [];
  if (s.method === 'grid') {
    const rec = (i: number, acc: unknown[]) => {
      const p = s.params[i];
      if (!p) return void combos.push(acc);
      for (const v of 'values' in p ? p.values : []) rec(i + 1, [...acc, v]);
    };
    rec(0, []);
  } else {
    const rng = makeRng(s.seed);
    for (let k = 0; k < s.samples; k++) {
      combos.push(s.params.map((p) => {
        if ('values' in p) return p.values[Math.floor(rng() * p.values.length)];
        const u = rng();
        const v = p.log ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min))) : p.min + u * (p.max - p.min);
        return p.integer ? Math.round(v) : Number(v.toPrecision(3));
      }));
    }
  }
  return combos.map((values, k) => {
    const name = `${base}-sweep${k + 1}`;
    return {
      name,
      source: withValues(text, s.params.map((p, i) => ({ path: p.path, value: values[i] })), name),
      values: s.params.map((p, i) => ({ key: formatKeyPath(p.path), value: values[i] })),
    };
  });
}
