// The IDX format of MNIST: big-endian header (magic 0x08TT with TT = number of dimensions for
// unsigned bytes, then each dimension), then the raw bytes. Gzipped files are accepted.
import { gunzipSync } from 'node:zlib';
import { MAX_DATA_FILE_BYTES, formatBytes } from './dataLimits';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** `maxBytes`: a gzipped file may not unpack to more (a small .gz can hold gigabytes of zeros). */
export function parseIdx(file: Uint8Array, maxBytes = MAX_DATA_FILE_BYTES): IdxArray {
  const bytes = file[0] === 0x1f && file[1] === 0x8b ? gunzip(file, maxBytes) : file;
  if (bytes.length < 4) throw new Error('IDX file too short for its header.');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic >>> 8 !== 0x08) throw new Error(`Not an unsigned-byte IDX file (magic ${magic}; expected 2049 for labels or 2051 for images).`);
  const ndims = magic & 0xff;
  if (ndims < 1 || ndims > 4 || bytes.length < 4 + 4 * ndims) throw new Error(`IDX header names ${ndims} dimensions; expected 1 to 4.`);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const start = 4 + 4 * ndims;
  if (bytes.length - start < count) throw new Error(`IDX file holds ${bytes.length - start} bytes of data; its header promises ${count}.`);
  return { dims, data: bytes.subarray(start, start + count) };
}

function gunzip(file: Uint8Array, maxBytes: number): Uint8Array {
  try {
    return new Uint8Array(gunzipSync(file, { maxOutputLength: maxBytes }));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`it unpacks to more than ${formatBytes(maxBytes)}, more than Model Lab reads per data source.`);
    throw e;
  }
}
