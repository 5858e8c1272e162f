// Numeric hyperparameters in a model file's text, where they are and how to make a variant of the
// file with one (or several) of them changed. Edits go through the YAML document so comments and
// the rest of the file stay as they were.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { Range } from '../language/diagnostic';

/** Keys worth trying at a tenth and ten times their value. */
export const HYPER_KEYS = new Set(['learningRate', 'batchSize', 'rate', 'units', 'filters', 'stddev', 'momentum', 'epochs', 'l1', 'l2', 'decayRate', 'noise', 'samples']);
const INTEGER_KEYS = new Set(['batchSize', 'units', 'filters', 'epochs', 'samples']);

export type KeyPath = (string | number)[];

export interface HyperParam {
  path: KeyPath;
  key: string;
  value: number;
  integer: boolean;
  /** The value's text in the file (0-based). */
  range: Range;
}

export function findHyperParams(text: string): HyperParam[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  if (doc.errors.length) return [];
  const out: HyperParam[] = [];
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line - 1, character: p.col - 1 };
  };
  const walk = (node: unknown, path: KeyPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (path.length === 0 && key === 'sweep') continue; // the sweep's own numbers are not the model's
        const value = pair.value;
        if (isScalar(value) && typeof value.value === 'number' && HYPER_KEYS.has(key) && value.range) {
          out.push({ path: [...path, key], key, value: value.value, integer: INTEGER_KEYS.has(key), range: { start: pos(value.range[0]), end: pos(value.range[1]) } });
        } else walk(value, [...path, key]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => walk(item, [...path, i]));
  };
  walk(doc.contents, []);
  return out;
}

/** A value `factor` times `value`: integers stay integers of at least 1, others get 3 significant digits. */
export function scaled(p: Pick<HyperParam, 'value' | 'integer'>, factor: number): number {
  const v = p.value * factor;
  return p.integer ? Math.max(1, Math.round(v)) : Number(v.toPrecision(3));
}

/** The file with each path set to its value, named `name`, and without a `sweep:` section. */
export function withValues(text: string, values: { path: KeyPath; value: unknown }[], name: string): string {
  const doc = parseDocument(text);
  for (const { path, value } of values) doc.setIn(path, value);
  doc.setIn(['name'], name);
  doc.deleteIn(['sweep']);
  return String(doc);
}

export function modelName(doc: Document | string, fallback: string): string {
  const d = typeof doc === 'string' ? parseDocument(doc) : doc;
  const n = d.get('name');
  return typeof n === 'string' && n ? n : fallback;
}

/** "model.layers[0].dense.units" -> ["model", "layers", 0, "dense", "units"]; undefined if malformed. */
export function parseKeyPath(text: string): KeyPath | undefined {
  const path: KeyPath = [];
  for (const part of text.split('.')) {
    const m = /^([A-Za-z_][\w-]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    path.push(m[1] as string);
    for (const idx of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) path.push(Number(idx[1]));
  }
  return path;
}

export const formatKeyPath = (path: KeyPath): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i ? `.${p}` : p)).join('');

/** Whether `path` names a value that exists in the file (a sweep over a typo would change nothing). */
export function hasPath(text: string, path: KeyPath): boolean {
  const doc = parseDocument(text);
  return doc.hasIn(path) && !isCollection(doc.getIn(path, true) as Node | undefined);
}

const isCollection = (n: Node | undefined): boolean => isMap(n) || isSeq(n);
