// The variants the editor offers for one model file: each numeric hyperparameter at a tenth and at
// ten times its value, minus those whose file would not be valid (ten times the output layer's units
// no longer fits the loss and the classes). An offer that cannot train is worse than none.
import { parseModel } from '../language/parse';
import type { Position, Range } from '../language/diagnostic';
import { findHyperParams, modelName, scaled, withValues, type KeyPath } from './hyperparams';

export const VARIANT_FACTORS = [0.1, 10] as const;

export interface VariantCandidate {
  path: KeyPath;
  key: string;
  factor: number;
  /** The value the variant gets. */
  value: number;
  /** The current value's text in the file. */
  range: Range;
  name: string;
  /** The variant's whole model file. */
  source: string;
}

const contains = (r: Range, p: Position): boolean =>
  (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
  (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

/** A variant is offered only when its file parses and passes every rule without an error. */
export function isValidVariant(source: string): boolean {
  return !parseModel(source).diagnostics.some((d) => d.severity === 'error');
}

/** The valid variants of `text`; with `at`, only those of the number under that position. */
export function variantCandidates(text: string, at?: Position, isValid: (source: string) => boolean = isValidVariant): VariantCandidate[] {
  const params = findHyperParams(text).filter((p) => !at || contains(p.range, at));
  if (!params.length) return [];
  const base = modelName(text, 'model');
  const out: VariantCandidate[] = [];
  for (const p of params) {
    for (const factor of VARIANT_FACTORS) {
      const value = scaled(p, factor);
      if (value === p.value) continue;
      const name = `${base}-${p.key}${value}`;
      const source = withValues(text, [{ path: p.path, value }], name);
      if (isValid(source)) out.push({ path: p.path, key: p.key, factor, value, range: p.range, name, source });
    }
  }
  return out;
}
