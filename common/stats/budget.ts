// Keeps every 'stats' message under MAX_MESSAGE_CHARS however large the model: one collection is
// split into parts carrying disjoint layers; a single layer too big on its own loses its feature
// maps, then its filter images (its summaries are a few hundred numbers and always fit).
import type { LayerStats, StatsRecord } from '../../protocol/stats';

export const MAX_MESSAGE_CHARS = 60_000;

const size = (v: unknown): number => JSON.stringify(v).length;

export function splitRecord(record: StatsRecord, max = MAX_MESSAGE_CHARS): StatsRecord[] {
  const { layers, ...head } = record;
  // Most records are far under the budget. An upper bound on the JSON length, which formats no
  // numbers, settles that without stringifying: then nothing below would split or strip anything.
  if (jsonBound(record) + 256 <= max / 2) return [{ ...head, layers: [...layers] }];
  let first: Omit<StatsRecord, 'layers'> = head;
  if (size(first) > max / 2) {
    const { probeInputs: _p, ...rest } = first;
    first = rest;
  }
  const parts: StatsRecord[] = [];
  let current: StatsRecord = { ...first, layers: [] };
  let used = size(current);
  const empty = size({ step: record.step, epoch: record.epoch, when: record.when, layers: [] });
  for (const raw of layers) {
    // Each layer is measured once (stringifying is most of this function's cost).
    const { layer, chars } = fit(raw, max - empty - 16);
    const n = chars + 1;
    if (current.layers.length > 0 && used + n > max) {
      parts.push(current);
      current = { step: record.step, epoch: record.epoch, when: record.when, layers: [] };
      used = empty;
    }
    current.layers.push(layer);
    used += n;
  }
  parts.push(current);
  return parts;
}

/** A length JSON.stringify(v) cannot exceed: integers by their digits, other numbers at their longest. */
export function jsonBound(v: unknown): number {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 1e15 ? digits(v) : 26;
  if (typeof v === 'string') return NEEDS_ESCAPE.test(v) ? 6 * v.length + 2 : v.length + 2;
  if (Array.isArray(v)) {
    let n = 2 + v.length;
    for (const x of v) n += jsonBound(x);
    return n;
  }
  if (v !== null && typeof v === 'object') {
    let n = 2;
    for (const [k, x] of Object.entries(v)) n += jsonBound(k) + 2 + jsonBound(x);
    return n;
  }
  return 5; // true, false, null (an undefined member is left out, which only makes the text shorter)
}

/** Characters JSON may write as more than themselves: quotes, backslashes, controls, non-ASCII. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f-\uffff]/;

function digits(v: number): number {
  let n = v < 0 ? 2 : 1;
  for (let a = Math.abs(v); a >= 10; a /= 10) n++;
  return n;
}

function fit(layer: LayerStats, max: number): { layer: LayerStats; chars: number } {
  const whole = size(layer);
  if (whole <= max) return { layer, chars: whole };
  const { maps: _m, ...noMaps } = layer;
  const withoutMaps = size(noMaps);
  if (withoutMaps <= max) return { layer: noMaps, chars: withoutMaps };
  const { filters: _f, ...bare } = noMaps;
  return { layer: bare, chars: size(bare) };
}

/** Parts of one collection back into one record (host side, run record reader). */
export function mergeParts(parts: StatsRecord[]): StatsRecord[] {
  const out: StatsRecord[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last && last.step === p.step && last.when === p.when && last.epoch === p.epoch) {
      const ids = new Set(last.layers.map((l) => l.id));
      last.layers.push(...p.layers.filter((l) => !ids.has(l.id)));
      if (p.predictions && !last.predictions) last.predictions = p.predictions;
      if (p.probeInputs && !last.probeInputs) last.probeInputs = p.probeInputs;
    } else out.push({ ...p, layers: [...p.layers] });
  }
  return out;
}
