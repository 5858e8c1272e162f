// Deep merge of a notebook cell's patch onto the model above it, JSON Merge Patch style (RFC 7396):
// maps merge key by key, anything else (numbers, strings, lists such as `layers`) replaces the old
// value whole, and `null` deletes a key. Lists replace rather than merge because a list merged by
// position would silently keep layers the patch meant to drop.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const isMap = (v: unknown): v is { [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Returns a new value; neither argument is changed. */
export function mergePatch(base: Json | undefined, patch: Json): Json {
  if (!isMap(patch)) return clone(patch);
  const out: { [key: string]: Json } = isMap(base) ? clone(base) as { [key: string]: Json } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** The patch that turns `from` into `to` (what a variant cell needs to say); {} when equal. */
export function diffPatch(from: Json, to: Json): Json {
  if (!isMap(from) || !isMap(to)) return clone(to);
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(from)) if (!(key in to)) out[key] = null;
  for (const [key, value] of Object.entries(to)) {
    const old = from[key];
    if (old === undefined) out[key] = clone(value);
    else if (JSON.stringify(old) !== JSON.stringify(value)) out[key] = isMap(old) && isMap(value) ? diffPatch(old, value) : clone(value);
  }
  return out;
}

const clone = (v: Json): Json => (v === null || typeof v !== 'object' ? v : JSON.parse(JSON.stringify(v)) as Json);
