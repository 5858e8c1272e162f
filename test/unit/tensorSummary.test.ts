// What the kernels' module computes for the statistics in the wasm heap is the JS loops' result
// exactly: a tensor's summary (engine/stats/tensorSummary.ts, against summarize: every field, -0
// against 0 included), its L2 norm (against l2) and the feature-map bytes (engine/stats/heapMaps.ts,
// against quantizeMaps), on sizes that are not multiples of anything, with NaN, ±Infinity, an
// overflowing sum, constant, empty and all-NaN tensors; on the cpu backend and with the module
// switched off, the JS loops run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { setSimdEnabled, simd } from '../../engine/train/kernels/simdLoops';
import { l2, round4, summarize } from '../../engine/stats/summarize';
import { l2Tensor, summarizeTensor } from '../../engine/stats/tensorSummary';
import { encodeMaps } from '../../engine/stats/heapMaps';
import { quantizeMaps } from '../../common/stats/mapCodec';
import { makeRng } from '../../common/random';
import { datasetsDir, example, wasmDir } from './helpers';
import type { StatsRecord } from '../../protocol/stats';
import { parseModel } from '../../model/language/parse';
import { StatsCollector } from '../../engine/stats/collect';
import { setStatsModuleEnabled } from '../../engine/stats/statsHeap';
import type { TrainingHook } from '../../engine/train/hooks';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';

const rng = makeRng(11);
const relu = (n: number): Float32Array => Float32Array.from({ length: n }, () => Math.max(0, rng() * 4 - 2));
const normal = (n: number, scale: number): Float32Array => Float32Array.from({ length: n }, () => (rng() + rng() + rng() - 1.5) * scale);
const withSpecials = (n: number): Float32Array => {
  const special = [0, -0, NaN, Infinity, -Infinity, 1e-30, -1e-30, 3e38];
  return Float32Array.from({ length: n }, () => (rng() < 0.1 ? special[Math.floor(rng() * special.length)] as number : rng() * 4 - 2));
};

const cases: Array<[string, Float32Array]> = [
  ['ReLU output, 16,383 values', relu(16383)],
  ['normal, 1,153 values', normal(1153, 0.05)],
  ['normal, 7 values', normal(7, 3)],
  ['one value', Float32Array.of(-2.5)],
  ['empty', new Float32Array(0)],
  ['constant', new Float32Array(37).fill(0.25)],
  ['zeros of both signs, -0 first', Float32Array.of(-0, 0, -0, 0, 0)],
  ['zeros of both signs, 0 first', Float32Array.of(0, -0, 0)],
  // A zero extreme in a lane after a lane holding the other zero: the first zero in order decides.
  ['minimum zero, -0 first but in the second lane', Float32Array.of(1, -0, 2, 3, 0, 5, 6, 7, 8)],
  ['maximum zero, 0 first but in the fourth lane', Float32Array.of(-1, -2, -3, 0, -0, -5, -6, -7, -8, -9, -0)],
  ['ReLU output with zeros of both signs, 1,027 values', Float32Array.from(relu(1027), (v, i) => (v === 0 && i % 3 === 0 ? -0 : v))],
  ['NaN, ±Infinity and -0 among 1,001 values', withSpecials(1001)],
  ['all NaN', new Float32Array(9).fill(NaN)],
  ['only infinities', Float32Array.of(Infinity, -Infinity, Infinity)],
  ['a sum that overflows float32 but not float64', new Float32Array(13).fill(3e38)],
  ['tiny and huge magnitudes', Float32Array.of(1e-38, -1e-45, 1e30, -3.4e38, 5, 0)],
];

/** deepStrictEqual, but -0 and 0 told apart (assert treats them as equal in objects). */
function sameBits(got: unknown, want: unknown, where: string): void {
  assert.deepStrictEqual(got, want, where);
  const walk = (a: unknown, b: unknown, path: string): void => {
    if (typeof a === 'number') assert.ok(Object.is(a, b), `${where} ${path}: ${a} vs ${b}`);
    else if (a && typeof a === 'object') for (const k of Object.keys(a)) walk((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(got, want, '');
}

test('summarizeTensor on wasm (the module\'s loops) equals summarize on the values, field for field', async () => {
  await useBackend('wasm', wasmDir);
  assert.ok(simd(), 'the kernels module is not loaded');
  for (const [name, values] of cases) {
    for (const bins of [30, 7]) {
      const t = tf.tensor(values, [values.length]);
      const before = tf.memory().numTensors;
      const got = summarizeTensor(t, bins);
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      sameBits(got, summarize(values, bins), `${name}, ${bins} bins`);
      sameBits(l2Tensor(t), l2(values), `${name}: L2 norm`);
      t.dispose();
    }
  }
});

test('summarizeTensor reads a tensor in place: a slice of a larger batch, a reshape sharing its data', async () => {
  await useBackend('wasm', wasmDir);
  const big = tf.tensor(relu(6 * 5 * 5 * 3), [6, 5, 5, 3]);
  const part = tf.slice(big, [1, 0, 0, 0], [2, 5, 5, 3]);
  const flat = tf.reshape(big, [6, 75]);
  sameBits(summarizeTensor(part), summarize(part.dataSync()), 'slice');
  sameBits(summarizeTensor(flat), summarize(big.dataSync()), 'reshape');
  tf.dispose([big, part, flat]);
});

for (const [backend, useSimd] of [['wasm', false], ['cpu', false]] as const) {
  test(`summarizeTensor on ${backend}${backend === 'wasm' ? ' with the module switched off' : ''} runs the JS loops on the values`, async () => {
    await useBackend(backend, wasmDir);
    setSimdEnabled(useSimd);
    try {
      for (const [name, values] of cases) {
        const t = tf.tensor(values, [values.length]);
        sameBits(summarizeTensor(t), summarize(values), name);
        sameBits(l2Tensor(t), l2(values), `${name}: L2 norm`);
        t.dispose();
      }
      const ints = tf.tensor([3, -1, 0, 7], [4], 'int32');
      sameBits(summarizeTensor(ints), summarize([3, -1, 0, 7]), 'int32');
      ints.dispose();
    } finally {
      setSimdEnabled(true);
    }
  });
}

/**
 * Map values with a channel maximum of 254 (every 13th value), so that the odd integers among them
 * land exactly on half a step (v / 254 * 127 = k + 0.5: ties round up, as Math.round, also below
 * zero), with ReLU-like values between, and NaN, ±Infinity and -0 if asked.
 */
function mapValues(n: number, specials: boolean): Float32Array {
  const v = relu(n);
  for (let i = 0; i < n; i += 7) v[i] = -(v[i] as number);
  for (let i = 3; i < n; i += 4) v[i] = 2 * Math.floor(rng() * 254) - 253;
  for (let i = 0; i < n; i += 13) v[i] = 254;
  if (specials) for (let i = 5; i < n; i += 17) v[i] = [NaN, Infinity, -Infinity, -0][(i / 17) % 4 | 0] as number;
  return v;
}

test('encodeMaps on wasm (the module\'s loop, Node\'s base64) gives quantizeMaps\'s scales and text', async () => {
  await useBackend('wasm', wasmDir);
  assert.ok(simd(), 'the kernels module is not loaded');
  const shapes: Array<[[number, number, number], number]> = [[[8, 8, 8], 6], [[4, 4, 16], 6], [[3, 3, 1], 1], [[5, 7, 3], 4], [[1, 1, 1], 1], [[2, 3, 5], 2]];
  for (const [shape, count] of shapes) {
    for (const specials of [false, true]) {
      const n = shape[0] * shape[1] * shape[2] * (count + 1);
      const values = mapValues(n, specials);
      if (shape[2] > 1) for (let i = 2; i < n; i += shape[2]) values[i] = 0; // a channel of zeros: scale 0
      sameBits(encodeMaps(values, shape, count), quantizeMaps(values, shape, count), `${shape} x${count}${specials ? ' with NaN and infinities' : ''}`);
    }
  }
  setSimdEnabled(false);
  try {
    const values = mapValues(5 * 7 * 3 * 2, true);
    sameBits(encodeMaps(values, [5, 7, 3], 2), quantizeMaps(values, [5, 7, 3], 2), 'module off');
  } finally {
    setSimdEnabled(true);
  }
});

/**
 * A whole collection (summaries, gradient norms, feature maps, filters, dead and saturated
 * fractions) with the module and with the JS loops, at the same weights: the same record.
 */
async function sameRecordBothWays(file: string): Promise<void> {
  const parsed = parseModel(example(file).replace(/epochs: \d+/, 'epochs: 1'));
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  const spec = parsed.spec;
  const records: StatsRecord[] = [];
  const compare: TrainingHook = {
    end(ctx) {
      const d = ctx.trainData;
      assert.ok(d);
      const n = Math.min(32, d.n);
      const probe = { x: tf.tensor(d.x.subarray(0, n * (d.x.length / d.n)), [n, ...d.xShape]), y: tf.tensor2d(d.y.subarray(0, n * d.yWidth), [n, d.yWidth]), n };
      const before = tf.memory().numTensors;
      // Only the statistics' loops switch: the forward pass runs the same kernels both times.
      for (const on of [true, false]) {
        setStatsModuleEnabled(on);
        try {
          records.push(new StatsCollector(spec, ctx.model, probe, ctx.val).collect(ctx.step, ctx.epoch, 'epoch'));
        } finally {
          setStatsModuleEnabled(true);
        }
      }
      assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
      tf.dispose([probe.x, probe.y]);
    },
  };
  const summary = await train(spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, hooks: [...standardHooks(spec), compare],
    sink: { started: () => {}, batch: () => {}, log: () => {}, diagnostics: () => {}, epoch: () => {}, stats: () => {} },
  });
  assert.equal(summary.status, 'completed');
  const [withModule, withJs] = records;
  assert.ok(withModule?.layers.some((l) => l.act && l.kernel), 'the record has activation and weight summaries');
  sameBits(withModule, withJs, `${file}: the module's record against the JS loops'`);
}

test('a collection on wasm gives the same record with the module as with the JS loops (digits CNN: maps, filters, ReLU)', async () => {
  await sameRecordBothWays('digits-cnn.model.yaml');
});

test('a collection on wasm gives the same record with the module as with the JS loops (XOR: tanh, sigmoid)', async () => {
  await sameRecordBothWays('xor.model.yaml');
});

test('four partial sums give the single chain\'s summary to the digits kept, on weights and activations', () => {
  // The reference: one chain of additions in order, as the summaries were computed before.
  const chain = (values: Float32Array, bins = 30): ReturnType<typeof summarize> => {
    const s = summarize(values, bins);
    let sum = 0;
    for (const v of values) sum += v;
    const mean = sum / values.length;
    let sq = 0;
    for (const v of values) sq += (v - mean) * (v - mean);
    return { ...s, mean: round4(mean), std: round4(Math.sqrt(sq / values.length)) };
  };
  const softmax = Float32Array.from({ length: 3210 }, () => rng() ** 8);
  for (const [name, values] of [['He-normal weights, 2,560', normal(2560, 0.05)], ['ReLU outputs, 16,384', relu(16384)],
    ['softmax-like outputs', softmax], ['biases', normal(10, 0.01)]] as const) {
    assert.deepStrictEqual(summarize(values), chain(values), name);
  }
});
