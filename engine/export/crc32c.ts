// CRC-32C (Castagnoli), the checksum of TFRecord framing, and TensorFlow's "masked" form of it.
// The CRC itself comes from @aws-crypto/crc32c (pure JS, no native build); the mask is TFRecord's:
// a CRC stored next to data that itself contains CRCs is rotated and offset so that computing the
// CRC of a string with embedded CRCs does not degenerate.
import { crc32c } from '@aws-crypto/crc32c';

export { crc32c };

const MASK_DELTA = 0xa282ead8;

/** ((crc >>> 15) | (crc << 17)) + 0xa282ead8, modulo 2^32. */
export function maskCrc(crc: number): number {
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + MASK_DELTA) >>> 0;
}

/** The inverse of maskCrc (what a reader checks a stored CRC against). */
export function unmaskCrc(masked: number): number {
  const rot = (masked - MASK_DELTA) >>> 0;
  return ((rot >>> 17) | (rot << 15)) >>> 0;
}

export const maskedCrc32c = (data: Uint8Array): number => maskCrc(crc32c(data));
