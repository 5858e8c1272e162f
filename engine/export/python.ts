// Python source text from model-file values: literals, keyword arguments and identifiers. Every
// string from the model file goes through pyString, so no user text can end a literal early.

export type PyArg = [name: string, code: string];

/** A Python str literal (JSON's escapes are valid in Python string literals; '\u2028' included). */
export const pyString = (s: string): string => JSON.stringify(s);

export function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'float("nan")';
  if (!Number.isFinite(n)) return n > 0 ? 'float("inf")' : '-float("inf")';
  return String(n);
}

/** A plain value: number, string, boolean, null, or a list (as a tuple: shapes, kernel sizes, strides). */
export function pyValue(v: unknown): string {
  if (typeof v === 'number') return pyNumber(v);
  if (typeof v === 'string') return pyString(v);
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return v.length === 1 ? `(${pyValue(v[0])},)` : `(${v.map(pyValue).join(', ')})`;
  throw new Error(`No Python form for ${JSON.stringify(v)}.`);
}

/** tfjs camelCase -> Keras snake_case: kernelSize -> kernel_size, beta1 -> beta_1. */
export const snakeCase = (name: string): string => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/([a-z])(\d)$/, '$1_$2');

export const call = (fn: string, args: PyArg[]): string => `${fn}(${args.map(([k, v]) => (k ? `${k}=${v}` : v)).join(', ')})`;

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else',
  'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise',
  'return', 'try', 'while', 'with', 'yield', 'match', 'case', 'type', '_',
]);

/** Unique Python identifiers for user ids (layer ids become variable names in the script). */
export class Identifiers {
  private readonly used = new Set<string>(['keras', 'layers', 'np', 'math', 'inputs', 'outputs', 'model', 'x_train', 'y_train', 'ops']);

  make(id: string): string {
    let base = id.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(\d)/, '_$1') || 'x';
    if (KEYWORDS.has(base)) base = `${base}_`;
    let name = base;
    for (let i = 2; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}
