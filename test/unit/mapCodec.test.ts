// Feature maps as bytes (common/stats/mapCodec.ts): the decoded maps equal the floats within half a
// step of each channel's own scale, however different the channels' magnitudes; broken bytes do not
// cross a boundary; records written before the change (4-digit numbers) still read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dequantizeExample, quantizeMaps } from '../../common/stats/mapCodec';
import { filterStackShape, isConsistent, isLayerStats } from '../../protocol/stats';
import { makeRng } from '../../common/random';

test('each channel keeps its own scale: decoded values within scale/254 of the floats', () => {
  const shape: [number, number, number] = [5, 7, 4];
  const per = 5 * 7 * 4;
  const rand = makeRng(7);
  // Channel 0 large, 1 tiny, 2 all zero (a dead map), 3 signed.
  const magnitude = [30, 1e-3, 0, 2];
  const values = new Float32Array(3 * per).map((_, i) => {
    const k = i % 4;
    return k === 3 ? (rand() * 2 - 1) * 2 : rand() * (magnitude[k] as number);
  });
  const q = quantizeMaps(values, shape, 3);
  assert.equal(q.bytes.length, 3);
  assert.ok(isConsistent(q, shape));
  for (let e = 0; e < 3; e++) {
    const back = dequantizeExample(q, shape, e);
    assert.ok(back);
    assert.equal(back.length, per);
    for (let i = 0; i < per; i++) {
      const scale = q.scales[e]?.[i % 4] as number;
      const err = Math.abs((back[i] as number) - (values[e * per + i] as number));
      assert.ok(err <= scale / 254 + 1e-12, `example ${e} value ${i}: error ${err} over scale ${scale}`);
    }
    assert.equal(q.scales[e]?.[2], 0, 'a dead channel has scale 0');
    assert.ok((q.scales[e]?.[1] as number) < 1e-3 && (q.scales[e]?.[1] as number) > 0, 'the tiny channel is not lost to the large one');
  }
  assert.equal(dequantizeExample(q, shape, 3), undefined, 'no fourth example');
});

test('non-finite values draw as their channel\'s extreme and do not spoil the scale', () => {
  const values = Float32Array.from([1, NaN, -Infinity, 0.5]);
  const q = quantizeMaps(values, [1, 4, 1], 1);
  assert.deepEqual(q.scales, [[1]]);
  assert.deepEqual(Array.from(dequantizeExample(q, [1, 4, 1], 0) ?? []), [1, -1, -1, Math.fround(64 / 127)]);
});

test('the boundary refuses maps whose bytes do not match their shape, and still takes the old number form', () => {
  const layer = (maps: unknown) => ({ id: 'c', kind: 'conv2d', index: 0, maps });
  const q = quantizeMaps(new Float32Array(2 * 3 * 2).fill(0.5), [2, 3, 2], 1);
  assert.ok(isLayerStats(layer({ shape: [2, 3, 2], quantized: q })));
  assert.ok(isLayerStats(layer({ shape: [2, 3, 2], examples: [[0.1, 0.2]] })), 'a record written before quantized maps');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 2] })), 'neither form');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 3], quantized: q })), 'bytes for another shape');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 2], quantized: { ...q, scales: [[0.5]] } })), 'a scale missing');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 2], quantized: { ...q, scales: [[0.5, NaN]] } })), 'a NaN scale');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 2], quantized: { ...q, bytes: ['!!!!!!!!!!!!!!!!'] } })), 'not base64');
  assert.ok(!isLayerStats(layer({ shape: [2, 3, 2], quantized: { ...q, bytes: [...q.bytes, ...q.bytes] } })), 'more bytes than scales');
});

test('conv filters quantize with a scale per (input, output) tile: a weak tile keeps its detail beside a strong one', () => {
  const [kh, kw, cin, cout] = [3, 3, 2, 4];
  const rand = makeRng(3);
  // tfjs order (h, w, in, out); tile (1, 2) is 1000x weaker than the others.
  const kernel = new Float32Array(kh * kw * cin * cout).map((_, i) => {
    const o = i % cout;
    const c = Math.floor(i / cout) % cin;
    return (rand() * 2 - 1) * (c === 1 && o === 2 ? 1e-3 : 1);
  });
  const stack = filterStackShape([kh, kw, cin, cout]);
  assert.deepEqual(stack, [9, 1, 8]);
  const q = quantizeMaps(kernel, stack, 1);
  const back = dequantizeExample(q, stack, 0);
  assert.ok(back && back.length === kernel.length);
  for (let i = 0; i < kernel.length; i++) {
    const scale = q.scales[0]?.[i % (cin * cout)] as number;
    assert.ok(Math.abs((back[i] as number) - (kernel[i] as number)) <= scale / 254 + 1e-12, `value ${i}`);
  }
  assert.ok((q.scales[0]?.[1 * cout + 2] as number) < 1e-3, 'the weak tile has its own small scale');
  const layer = (filters: unknown) => ({ id: 'c', kind: 'conv2d', index: 0, filters });
  assert.ok(isLayerStats(layer({ shape: [kh, kw, cin, cout], quantized: q, totalFilters: 4 })));
  assert.ok(isLayerStats(layer({ shape: [kh, kw, cin, cout], values: Array.from(kernel), totalFilters: 4 })), 'a record written before quantized filters');
  assert.ok(!isLayerStats(layer({ shape: [kh, kw, cin, 3], quantized: q, totalFilters: 4 })), 'bytes for another shape');
  assert.ok(!isLayerStats(layer({ shape: [kh, kw, cin, cout], totalFilters: 4 })), 'no values at all');
});

test('the bytes are standard base64 (what btoa gives) for every length, padding included', () => {
  const rand = makeRng(3);
  for (let n = 1; n <= 40; n++) {
    const values = Float32Array.from({ length: n }, () => rand() * 2 - 1);
    const q = quantizeMaps(values, [1, 1, n], 1);
    const scales = q.scales[0] as number[];
    // One pixel of n channels: each channel is its own scale, so every byte is +-127 or 0.
    const bytes = Array.from(values, (v, k) => (scales[k] as number) > 0 ? (v > 0 ? 127 : -127) : 0);
    assert.equal(q.bytes[0], btoa(String.fromCharCode(...bytes.map((b) => b & 255))), `length ${n}`);
    const wide = quantizeMaps(values, [1, n, 1], 1);
    const m = Math.max(...Array.from(values, Math.abs));
    const expected = Array.from(values, (v) => Math.round((v / m) * 127) & 255);
    assert.equal(wide.bytes[0], btoa(String.fromCharCode(...expected)), `row of ${n}`);
  }
});
