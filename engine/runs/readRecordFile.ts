// Reading a file of a run record without trusting it: only regular files (a symlink to /dev/zero
// or a FIFO would never end), and at most `limit` bytes, so a huge or hostile record cannot
// exhaust the extension host's memory. Past the limit the reader sees a prefix, which every record
// format here reads as valid (append-only lines; a torn last line is dropped).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The file's text (up to `limit` bytes), or undefined if it is missing or not a regular file. */
export function readRecordFile(path: string, limit: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, limit));
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) break;
      off += n;
    }
    return buf.subarray(0, off).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
