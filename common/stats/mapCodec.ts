// Feature maps travel as bytes. The Filters panel draws each map scaled to its own largest |value|
// (a grey level per pixel), so a signed byte per value, with one scale per example and channel,
// draws the same picture as the float: the error is at most half a step, scale/254. As base64 the
// digits CNN's maps take 6 KB per epoch instead of 27 KB of 4-digit JSON numbers, in every stats
// message, every panel update and every stats.jsonl line. Used by the worker (encode) and by the
// Filters page (decode), so no Node API: encoding is plain code, decoding the platform's atob. The
// check that a message's bytes match its shape (isConsistent) is protocol/stats.ts's, as the
// boundary's guard.
import { decodeBytes, type FeatureMaps } from '../../protocol/stats';

export type QuantizedMaps = NonNullable<FeatureMaps['quantized']>;

/** Encodes `count` examples of (h, w, c) maps, stored one after another in `values` from `offset`. */
export function quantizeMaps(values: ArrayLike<number>, shape: [number, number, number], count: number): QuantizedMaps {
  const [h, w, c] = shape;
  const per = h * w * c;
  const scales: number[][] = [];
  const bytes: string[] = [];
  const q = new Int8Array(per);
  const max = new Float64Array(c);
  for (let e = 0; e < count; e++) {
    const base = e * per;
    max.fill(0);
    // Pixel by pixel, channel by channel: no modulo per value to find the channel.
    for (let p = base; p < base + per; p += c) {
      for (let k = 0; k < c; k++) {
        const a = Math.abs(values[p + k] as number);
        // A NaN or infinite value shows as the channel's extreme: the map is broken, and visibly so.
        if (a - a === 0 && a > (max[k] as number)) max[k] = a;
      }
    }
    for (let i = 0; i < per; i += c) {
      for (let k = 0; k < c; k++) {
        const m = max[k] as number;
        const v = values[base + i + k] as number;
        q[i + k] = m > 0 ? (v - v === 0 ? Math.round((v / m) * 127) : v > 0 ? 127 : -127) : 0;
      }
    }
    scales.push(Array.from(max, (m) => Math.fround(m)));
    bytes.push(toBase64(q));
  }
  return { scales, bytes };
}

/** Example `e` back as floats in (h, w, c) order; undefined if its bytes do not match the shape. */
export function dequantizeExample(maps: QuantizedMaps, shape: readonly number[], e: number): Float32Array | undefined {
  const [h = 0, w = 0, c = 0] = shape;
  const scales = maps.scales[e];
  const text = maps.bytes[e];
  if (!scales || text === undefined || scales.length !== c) return undefined;
  const q = decodeBytes(text);
  if (!q || q.length !== h * w * c) return undefined;
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = ((q[i] as number) / 127) * (scales[i % c] as number);
  return out;
}

const DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Every 12-bit group as its two base64 digits: three bytes become two table reads. */
const PAIRS = Array.from({ length: 4096 }, (_, i) => (DIGITS[i >> 6] as string) + (DIGITS[i & 63] as string));

/**
 * Standard base64 with padding, exactly what btoa gives, written out because a worker encodes a
 * few dozen maps per collection and btoa over a char-code string took five times as long.
 */
function toBase64(q: Int8Array): string {
  const u = new Uint8Array(q.buffer, q.byteOffset, q.length);
  const n = u.length;
  let s = '';
  let i = 0;
  for (; i + 2 < n; i += 3) {
    const t = ((u[i] as number) << 16) | ((u[i + 1] as number) << 8) | (u[i + 2] as number);
    s += (PAIRS[t >> 12] as string) + (PAIRS[t & 4095] as string);
  }
  if (n - i === 1) s += (PAIRS[(u[i] as number) << 4] as string) + '==';
  else if (n - i === 2) {
    const t = ((u[i] as number) << 10) | ((u[i + 1] as number) << 2);
    s += (PAIRS[t >> 6] as string) + (DIGITS[t & 63] as string) + '=';
  }
  return s;
}
