// Reads a map of options against a table of what each key accepts, reporting unknown keys, wrong
// types and out-of-range values on their own ranges. Shared by the optimizer, schedule and callbacks.
import type { Checker, NumberRule } from './check';
import type { Range } from './diagnostic';
import type { MapEntry, SrcNode } from './source';
import type { Length } from './scheduleSpec';

export type OptionRule =
  | { type: 'number'; rule: NumberRule }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'length' };

export type OptionValue = number | boolean | string | Length;

export interface ReadOptions {
  values: Record<string, OptionValue>;
  ranges: Record<string, Range>;
}

/** Lengths are written `epochs: 3` or `steps: 100` inside the map; the table names them `length`. */
export function readOptions(c: Checker, node: SrcNode, what: string, table: Record<string, OptionRule>, prefix = what): ReadOptions | undefined {
  const entries: MapEntry[] = node.kind === 'scalar' && node.value === null ? [] : c.map(node, `The options of ${prefix}`) ?? [];
  if (node.kind !== 'map' && !(node.kind === 'scalar' && node.value === null)) return undefined;
  const hasLength = Object.values(table).some((r) => r.type === 'length');
  const allowed = [...Object.keys(table).filter((k) => table[k]?.type !== 'length'), ...(hasLength ? ['epochs', 'steps'] : [])];
  c.keys(entries, allowed, what);
  const values: Record<string, OptionValue> = {};
  const ranges: Record<string, Range> = {};
  let ok = true;
  for (const e of entries) {
    const key = e.key === 'epochs' || e.key === 'steps' ? Object.keys(table).find((k) => table[k]?.type === 'length') : e.key;
    const rule = key ? table[key] : undefined;
    if (!key || !rule) continue;
    const name = `${prefix}.${e.key}`;
    let v: OptionValue | undefined;
    if (rule.type === 'number') v = c.number(e.value, name, rule.rule);
    else if (rule.type === 'bool') v = c.boolean(e.value, name);
    else if (rule.type === 'enum') v = c.oneOf(e.value, name, rule.values);
    else {
      if (values[key] !== undefined) {
        c.report(e.keyRange, `${what} takes a length in epochs or in steps, not both.`, 'duplicate-key');
        ok = false;
        continue;
      }
      const n = c.number(e.value, name, { integer: true, min: 1, max: 10_000_000 });
      v = n === undefined ? undefined : { unit: e.key as Length['unit'], value: n };
    }
    if (v === undefined) ok = false;
    else {
      values[key] = v;
      ranges[key] = e.value.range;
    }
  }
  return ok ? { values, ranges } : undefined;
}

export const num = (v: OptionValue | undefined, fallback: number): number => (typeof v === 'number' ? v : fallback);
