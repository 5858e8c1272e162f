// A TensorBoard event-file reader written from the TFRecord and protobuf wire-format specs, for the
// tests only: it shares no code with engine/export/, so it checks the writer rather than agreeing with it.
import assert from 'node:assert/strict';

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1; // Castagnoli, reflected
    t[n] = c >>> 0;
  }
  return t;
})();

/** Bitwise-table CRC-32C. */
export function referenceCrc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of data) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** TFRecord's mask, with plain arithmetic instead of 32-bit shifts. */
export function referenceMask(crc: number): number {
  const rotated = (Math.floor(crc / 2 ** 15) + (crc % 2 ** 15) * 2 ** 17) % 2 ** 32;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

/** The records of a TFRecord file; throws on a bad length or a CRC that does not match. */
export function readRecords(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let off = 0;
  while (off < file.length) {
    assert.ok(off + 12 <= file.length, `truncated header at ${off}`);
    const len = Number(file.readBigUInt64LE(off));
    assert.equal(file.readUInt32LE(off + 8), referenceMask(referenceCrc32c(file.subarray(off, off + 8))), `length CRC at ${off}`);
    const data = file.subarray(off + 12, off + 12 + len);
    assert.equal(data.length, len, `truncated data at ${off}`);
    assert.equal(file.readUInt32LE(off + 12 + len), referenceMask(referenceCrc32c(data)), `data CRC at ${off}`);
    out.push(data);
    off += 12 + len + 4;
  }
  return out;
}

type Field = { no: number; wire: number; value: number | bigint | Buffer };

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let off = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = buf[off++] as number;
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  };
  while (off < buf.length) {
    const key = Number(varint());
    const no = key >>> 3;
    const wire = key & 7;
    if (wire === 0) out.push({ no, wire, value: varint() });
    else if (wire === 1) { out.push({ no, wire, value: buf.readDoubleLE(off) }); off += 8; }
    else if (wire === 5) { out.push({ no, wire, value: buf.readFloatLE(off) }); off += 4; }
    else if (wire === 2) { const n = Number(varint()); out.push({ no, wire, value: buf.subarray(off, off + n) }); off += n; }
    else throw new Error(`wire type ${wire}`);
  }
  return out;
}

export interface DecodedHisto { min: number; max: number; num: number; sum: number; sumSquares: number; limits: number[]; counts: number[] }
export interface DecodedValue { tag: string; simple?: number; histo?: DecodedHisto }
export interface DecodedEvent { wallTime: number; step: number; fileVersion?: string; values: DecodedValue[] }

const doubles = (b: Buffer): number[] => Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8));

function decodeHisto(buf: Buffer): DecodedHisto {
  const h: DecodedHisto = { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, limits: [], counts: [] };
  for (const f of fields(buf)) {
    // summary.proto HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6, bucket 7 (packed)
    if (f.no === 1) h.min = f.value as number;
    else if (f.no === 2) h.max = f.value as number;
    else if (f.no === 3) h.num = f.value as number;
    else if (f.no === 4) h.sum = f.value as number;
    else if (f.no === 5) h.sumSquares = f.value as number;
    else if (f.no === 6) h.limits.push(...doubles(f.value as Buffer));
    else if (f.no === 7) h.counts.push(...doubles(f.value as Buffer));
  }
  return h;
}

export function decodeEvent(buf: Buffer): DecodedEvent {
  const e: DecodedEvent = { wallTime: 0, step: 0, values: [] };
  for (const f of fields(buf)) {
    // event.proto Event: wall_time 1 (double), step 2 (int64), file_version 3, summary 5
    if (f.no === 1) e.wallTime = f.value as number;
    else if (f.no === 2) e.step = Number(f.value);
    else if (f.no === 3) e.fileVersion = (f.value as Buffer).toString('utf8');
    else if (f.no === 5) {
      for (const v of fields(f.value as Buffer)) {
        if (v.no !== 1) continue; // Summary.value
        const value: DecodedValue = { tag: '' };
        for (const p of fields(v.value as Buffer)) {
          // Summary.Value: tag 1, simple_value 2 (float), histo 5
          if (p.no === 1) value.tag = (p.value as Buffer).toString('utf8');
          else if (p.no === 2) value.simple = p.value as number;
          else if (p.no === 5) value.histo = decodeHisto(p.value as Buffer);
        }
        e.values.push(value);
      }
    }
  }
  return e;
}
