// Feature maps and filters as bytes (common/stats/mapCodec.ts's encoding, the same text) made by
// the kernels' module (quantize_maps) and Node's native base64: the JS loops cost more per
// collection than any other part of the statistics. Without the module, quantizeMaps itself.
import { quantizeMaps, type QuantizedMaps } from '../../common/stats/mapCodec';
import { statsHeap, withScratch } from './statsHeap';

/** quantizeMaps(values, shape, count), by the module when the wasm backend runs. */
export function encodeMaps(values: Float32Array, shape: [number, number, number], count: number): QuantizedMaps {
  const heap = statsHeap();
  const [h, w, c] = shape;
  const per = h * w * c;
  const n = per * count;
  if (!heap || n === 0 || values.length < n) return quantizeMaps(values, shape, count);
  // Scratch: the values, the scales (8-byte aligned after the values), then the bytes.
  const scalesAt = Math.ceil((4 * n) / 8) * 8;
  const bytesAt = scalesAt + 8 * c * count;
  return withScratch(heap, bytesAt + n, (at, buffer) => {
    new Float32Array(buffer(), at, n).set(values.subarray(0, n));
    heap.loops.quantize_maps(at, per, c, count, at + bytesAt, at + scalesAt);
    const scales: number[][] = [];
    const bytes: string[] = [];
    const all = new Float64Array(buffer(), at + scalesAt, c * count);
    for (let e = 0; e < count; e++) {
      // The scales are float32 values already (quantizeMaps rounds them with Math.fround).
      scales.push(Array.from(all.subarray(e * c, (e + 1) * c)));
      bytes.push(Buffer.from(buffer(), at + bytesAt + e * per, per).toString('base64'));
    }
    return { scales, bytes };
  });
}
