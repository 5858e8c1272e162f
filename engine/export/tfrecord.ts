// TFRecord framing, the container of TensorBoard event files: each record is
//   uint64 length (little-endian) | uint32 masked crc32c(length bytes) | data | uint32 masked crc32c(data)
import { maskedCrc32c } from './crc32c';

const HEADER = 12;
const FOOTER = 4;

export function frameRecord(data: Uint8Array): Buffer {
  const out = Buffer.alloc(HEADER + data.length + FOOTER);
  out.writeBigUInt64LE(BigInt(data.length), 0);
  out.writeUInt32LE(maskedCrc32c(out.subarray(0, 8)), 8);
  out.set(data, HEADER);
  out.writeUInt32LE(maskedCrc32c(data), HEADER + data.length);
  return out;
}
