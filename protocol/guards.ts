// Tiny structural checks for messages that cross a boundary. Each returns true only when the value
// has the shape its type promises; anything else is dropped by the caller (and logged). Shared by
// the guards of every protocol/<boundary>.ts module.

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

type MessageReaders<T extends { type: string }> = { [K in T['type']]: (v: Record<string, unknown>) => Extract<T, { type: K }> | undefined };

/**
 * A guard for a message union that rebuilds each message from only the fields its type allows (so
 * an untrusted sender cannot slip extra fields through): `readers[type]` returns the message, or
 * undefined when a field fails. A non-object or a type not listed gives undefined.
 */
export function messageReader<T extends { type: string }>(readers: MessageReaders<T>): (raw: unknown) => T | undefined {
  return (raw) => (isObject(raw) && isString(raw.type) && Object.hasOwn(readers, raw.type) ? readers[raw.type as T['type']](raw) : undefined);
}
