// Feature maps and filters as bytes (common/stats/mapCodec.ts's encoding, the same text) made by
// the kernels' module (quantize_maps) and Node's native base64: the JS loops cost more per
// collection than any other part of the statistics. Without the module, quantizeMaps itself.
import type * as tf from '@tensorflow/tfjs-core';
import { quantizeMaps, type QuantizedMaps } from '../../common/stats/mapCodec';
import { dataAt, statsHeap, withScratch, type StatsHeap } from './statsHeap';

type Shape = [number, number, number];

/** quantizeMaps(values, shape, count), by the module when the wasm backend runs. */
export function encodeMaps(values: Float32Array, shape: Shape, count: number): QuantizedMaps {
  const heap = statsHeap();
  const n = shape[0] * shape[1] * shape[2] * count;
  if (!heap || n === 0 || values.length < n) return quantizeMaps(values, shape, count);
  // The values go into scratch first, 8-byte aligned for the scales after them.
  const copyBytes = Math.ceil(n / 2) * 8;
  return withScratch(heap, copyBytes, (at, buffer) => {
    new Float32Array(buffer(), at, n).set(values.subarray(0, n));
    return encodeAt(heap, at, shape, count);
  });
}

/** The first `count` examples of a batch of maps (a [batch, h, w, c] tensor), read where they lie. */
export function encodeTensorMaps(t: tf.Tensor, shape: Shape, count: number): QuantizedMaps {
  const heap = statsHeap();
  const x = heap && dataAt(heap, t);
  const n = shape[0] * shape[1] * shape[2] * count;
  if (!heap || x === undefined || n === 0 || t.size < n) return quantizeMaps(t.dataSync(), shape, count);
  return encodeAt(heap, x, shape, count);
}

function encodeAt(heap: StatsHeap, x: number, shape: Shape, count: number): QuantizedMaps {
  const c = shape[2];
  const per = shape[0] * shape[1] * c;
  // Scratch: the scales (f64), then the bytes.
  const bytesAt = 8 * c * count;
  return withScratch(heap, bytesAt + per * count, (at, buffer) => {
    heap.loops.quantize_maps(x, per, c, count, at + bytesAt, at);
    const scales: number[][] = [];
    const bytes: string[] = [];
    const all = new Float64Array(buffer(), at, c * count);
    for (let e = 0; e < count; e++) {
      // The scales are float32 values already (quantizeMaps rounds them with Math.fround). Copied by
      // a loop: Array.from takes a typed array through its iterator, slower at this size.
      const row = new Array<number>(c);
      for (let k = 0; k < c; k++) row[k] = all[e * c + k] as number;
      scales.push(row);
      bytes.push(Buffer.from(buffer(), at + bytesAt + e * per, per).toString('base64'));
    }
    return { scales, bytes };
  });
}
