// Tiny structural checks for messages that cross a boundary. Each returns true only when the value
// has the shape its type promises; anything else is dropped by the caller (and logged).

export type Guard<T> = (v: unknown) => v is T;

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
/** NaN/Infinity travel as numbers in structured clone; a loss may legitimately be NaN. */
export const isNumeric = (v: unknown): v is number => typeof v === 'number';
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isBoolean = (v: unknown): v is boolean => typeof v === 'boolean';
export const optional = <T>(g: Guard<T>) => (v: unknown): v is T | undefined => v === undefined || g(v);
export const arrayOf = <T>(g: Guard<T>, max = 1_000_000) => (v: unknown): v is T[] => Array.isArray(v) && v.length <= max && v.every(g);
export const oneOf = <T extends string>(...values: T[]) => (v: unknown): v is T => typeof v === 'string' && (values as string[]).includes(v);

/** An object whose listed fields pass their guards (extra fields are allowed and ignored). */
export function shape<T>(fields: { [K in keyof T]-?: (v: unknown) => boolean }): Guard<T> {
  return (v: unknown): v is T => isObject(v) && Object.entries(fields).every(([k, g]) => (g as (x: unknown) => boolean)(v[k]));
}
