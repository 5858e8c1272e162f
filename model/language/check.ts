// Small typed readers over SrcNode: each returns the value or undefined and records a diagnostic
// that says what was expected, on the node's own range.
import type { Range, Severity, SpecDiagnostic } from './diagnostic';
import type { MapEntry, SrcNode } from './source';

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
  /** min is exclusive */
  above?: number;
  /** max is exclusive */
  below?: number;
}

export class Checker {
  readonly diagnostics: SpecDiagnostic[] = [];

  report(range: Range, message: string, code: string, severity: Severity = 'error'): void {
    this.diagnostics.push({ severity, message, range, code });
  }

  get hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === 'error');
  }

  map(node: SrcNode, what: string): MapEntry[] | undefined {
    if (node.kind === 'map') return node.entries;
    this.report(node.range, `${what} must be a map of keys and values, not ${describe(node)}.`, 'wrong-type');
    return undefined;
  }

  /** Reports keys that are not in `allowed`, suggesting the closest one. */
  keys(entries: MapEntry[], allowed: readonly string[], where: string): void {
    for (const e of entries) {
      if (allowed.includes(e.key)) continue;
      const guess = closest(e.key, allowed);
      const hint = guess ? ` Did you mean '${guess}'?` : '';
      this.report(e.keyRange, `Unknown key '${e.key}' in ${where}.${hint} Valid keys: ${allowed.join(', ')}.`, 'unknown-key');
    }
  }

  number(node: SrcNode, what: string, rule: NumberRule = {}): number | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      const kind = rule.integer ? 'an integer' : 'a number';
      this.report(node.range, `${what} must be ${kind}${ruleText(rule)}, not ${describe(node)}.`, 'wrong-type');
      return undefined;
    }
    if (rule.integer && !Number.isInteger(v)) {
      this.report(node.range, `${what} must be an integer${ruleText(rule)}, not ${v}.`, 'out-of-range');
      return undefined;
    }
    const bad =
      (rule.min !== undefined && v < rule.min) ||
      (rule.max !== undefined && v > rule.max) ||
      (rule.above !== undefined && v <= rule.above) ||
      (rule.below !== undefined && v >= rule.below);
    if (bad) {
      this.report(node.range, `${what} must be${ruleText(rule)}; got ${v}.`, 'out-of-range');
      return undefined;
    }
    return v;
  }

  string(node: SrcNode, what: string): string | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'string' && node.value.length > 0) return node.value;
    this.report(node.range, `${what} must be a text value, not ${describe(node)}.`, 'wrong-type');
    return undefined;
  }

  boolean(node: SrcNode, what: string): boolean | undefined {
    if (node.kind === 'scalar' && typeof node.value === 'boolean') return node.value;
    this.report(node.range, `${what} must be true or false, not ${describe(node)}.`, 'wrong-type');
    return undefined;
  }

  oneOf<T extends string>(node: SrcNode, what: string, choices: readonly T[], code = 'unknown-value'): T | undefined {
    const v = node.kind === 'scalar' ? node.value : undefined;
    if (typeof v === 'string' && (choices as readonly string[]).includes(v)) return v as T;
    const guess = typeof v === 'string' ? closest(v, choices) : undefined;
    const hint = guess ? ` Did you mean '${guess}'?` : '';
    this.report(node.range, `${what} must be one of: ${choices.join(', ')}; got ${describe(node)}.${hint}`, code);
    return undefined;
  }

  /** A positive integer or a list of `length` of them (kernel sizes, strides, pool sizes). */
  intTuple(node: SrcNode, what: string, length: number, min = 1): number[] | undefined {
    if (node.kind === 'scalar') {
      const v = this.number(node, what, { integer: true, min });
      return v === undefined ? undefined : Array.from({ length }, () => v);
    }
    if (node.kind === 'seq' && node.items.length === length) {
      const values = node.items.map((item) => this.number(item, `Each entry of ${what}`, { integer: true, min }));
      return values.every((v): v is number => v !== undefined) ? values : undefined;
    }
    this.report(node.range, `${what} must be an integer or a list of ${length} integers (at least ${min}).`, 'wrong-type');
    return undefined;
  }

  /** A list of positive integers (shapes). */
  shape(node: SrcNode, what: string): number[] | undefined {
    if (node.kind !== 'seq' || node.items.length === 0) {
      this.report(node.range, `${what} must be a list of positive integers, e.g. [2] or [8, 8, 1].`, 'wrong-type');
      return undefined;
    }
    const dims = node.items.map((d) => this.number(d, `Each dimension of ${what}`, { integer: true, min: 1, max: 1e6 }));
    return dims.every((v): v is number => v !== undefined) ? dims : undefined;
  }

  stringList(node: SrcNode, what: string): string[] | undefined {
    const items = node.kind === 'seq' ? node.items : node.kind === 'scalar' && typeof node.value === 'string' ? [node] : undefined;
    if (!items) {
      this.report(node.range, `${what} must be a list of names.`, 'wrong-type');
      return undefined;
    }
    const values = items.map((i) => this.string(i, `Each entry of ${what}`));
    return values.every((v): v is string => v !== undefined) ? values : undefined;
  }
}

export function describe(node: SrcNode): string {
  if (node.kind === 'map') return 'a map';
  if (node.kind === 'seq') return 'a list';
  if (node.value === null) return 'an empty value';
  if (typeof node.value === 'string') return `'${node.value.length > 40 ? node.value.slice(0, 40) + '…' : node.value}'`;
  return String(node.value);
}

function ruleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

/** Closest candidate by edit distance, if it is plausibly a typo. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDist = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates) {
    const d = editDistance(w, c.toLowerCase());
    if (d < bestDist) {
      bestDist = d;
      best = c;
    }
  }
  return best !== undefined && bestDist <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Infinity;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? Infinity;
}
