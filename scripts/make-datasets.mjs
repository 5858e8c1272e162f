// Builds the small data files the extension ships, from copies already on this machine
// (Debian's python3-sklearn), so no download happens at build or run time.
// The outputs are committed; run this only to regenerate them: `node scripts/make-datasets.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';

const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const OUT = new URL('../media/datasets/', import.meta.url).pathname;

/** IDX: big-endian magic (0x00000800 | dims), then each dimension as uint32, then the bytes. */
function idx(dims, bytes) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return gzipSync(Buffer.concat([header, Buffer.from(bytes)]), { level: 9 });
}

const rows = gunzipSync(readFileSync(join(SKLEARN, 'digits.csv.gz'))).toString('utf8').trim().split('\n');
const images = new Uint8Array(rows.length * 64);
const labels = new Uint8Array(rows.length);
rows.forEach((row, i) => {
  const v = row.split(',').map(Number);
  if (v.length !== 65) throw new Error(`digits row ${i} has ${v.length} columns`);
  images.set(v.slice(0, 64), i * 64);
  labels[i] = v[64];
});
writeFileSync(join(OUT, 'digits-images.idx3-ubyte.gz'), idx([rows.length, 8, 8], images));
writeFileSync(join(OUT, 'digits-labels.idx1-ubyte.gz'), idx([rows.length], labels));
console.log(`digits: ${rows.length} images written to ${OUT}`);
