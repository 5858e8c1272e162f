// The cheap paths of the statistics (they keep watching a run under 5% of its time): gradient norms
// taken from the training step's own backward pass, the confusion matrix from the loop's validation
// pass, the direct probe-batch gradient when the step's gradients include weight penalties, and the
// fast rounding and summaries, each checked against a direct computation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { StatsRecord } from '../../protocol/stats';
import { parseModel } from '../../model/language/parse';
import { mergeParts } from '../../common/stats/budget';
import { collectPredictions } from '../../engine/stats/predictions';
import { round4, summarize } from '../../engine/stats/summarize';
import { sanitize } from '../../engine/train/buildModel';
import type { LoopContext, TrainingHook } from '../../engine/train/hooks';
import { lossFn } from '../../engine/train/losses';
import { train } from '../../engine/train/loop';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, example, wasmDir, XOR } from './helpers';

async function trainWith(text: string, hook: TrainingHook): Promise<{ records: StatsRecord[]; tensorsPerEpoch: number[] }> {
  const parsed = parseModel(text);
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  const stats: StatsRecord[] = [];
  const tensorsPerEpoch: number[] = [];
  const summary = await train(parsed.spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, hooks: [hook],
    sink: {
      started: () => {}, batch: () => {}, log: () => {}, diagnostics: () => {},
      epoch: () => { tensorsPerEpoch.push(tf.memory().numTensors); },
      stats: (r) => { stats.push(r); },
    },
  });
  assert.equal(summary.status, 'completed');
  return { records: mergeParts(stats), tensorsPerEpoch };
}

/** Kernel gradient norms of the data loss on rows [0, n) of the training set, by layer id, with tf.norm. */
function directKernelNorms(ctx: LoopContext, n: number): Map<string, number> {
  const d = ctx.trainData;
  assert.ok(d);
  const loss = lossFn(ctx.spec.train.loss);
  const kernels = ctx.spec.model.layers.flatMap((ls) => {
    const w = ctx.model.getLayer(sanitize(ls.id)).weights.find((v) => /kernel/.test(v.name));
    return w ? [{ id: ls.id, v: w.read() as tf.Variable }] : [];
  });
  const result = new Map<string, number>();
  tf.tidy(() => {
    const x = tf.tensor(d.x.subarray(0, n * (d.x.length / d.n)), [n, ...d.xShape]);
    const y = tf.tensor2d(d.y.subarray(0, n * d.yWidth), [n, d.yWidth]);
    const { grads } = tf.variableGrads(() => loss(y, ctx.model.apply(x, { training: true }) as tf.Tensor), kernels.map((k) => k.v));
    for (const k of kernels) result.set(k.id, tf.norm(grads[k.v.name] as tf.Tensor).dataSync()[0] as number);
  });
  return result;
}

const close = (a: number | undefined, b: number | undefined, what: string): void => {
  assert.ok(a !== undefined && b !== undefined && b > 0, `${what}: ${a} vs ${b}`);
  assert.ok(Math.abs(a - b) / b < 2e-3, `${what}: recorded ${a}, direct ${b}`);
};

test('gradient norms come from the epoch\'s last training step and equal tf.variableGrads on that batch', async () => {
  // One batch per epoch (the whole training split): the last step's batch is the whole set, its
  // gradient is taken at the weights before that step, and it differs from the 32-example probe's.
  const text = XOR.replace('batchSize: 32', 'batchSize: 400').replace('epochs: 60', 'epochs: 3');
  const direct: Map<string, number>[] = [];
  const probe: Map<string, number>[] = [];
  let taps = 0;
  const { records } = await trainWith(text, {
    beforeBatch(ctx) {
      direct.push(directKernelNorms(ctx, ctx.trainData?.n ?? 0));
      probe.push(directKernelNorms(ctx, 32));
      const tap = ctx.tapGradients;
      assert.ok(tap, 'the statistics hook taps the last step of every epoch');
      ctx.tapGradients = (g) => { taps++; tap(g); };
    },
  });
  assert.equal(taps, 3);
  const epochs = records.filter((r) => r.when === 'epoch');
  assert.deepEqual(epochs.map((r) => r.step), [1, 2, 3]);
  epochs.forEach((r, e) => {
    for (const layer of r.layers) {
      close(layer.gradNorm, direct[e]?.get(layer.id), `epoch ${e + 1} ${layer.id}`);
      const p = probe[e]?.get(layer.id) as number;
      assert.ok(Math.abs((layer.gradNorm as number) - p) / p > 0.01, 'not the probe batch\'s gradient');
    }
  });
  // At init no step has run: the gradient is measured on the probe batch.
  for (const layer of records[0]?.layers ?? []) close(layer.gradNorm, probe[0]?.get(layer.id), `init ${layer.id}`);
});

test('with weight penalties the step\'s gradient is not the loss\'s: the probe batch\'s gradient of the loss is measured', async () => {
  const text = XOR.replace('  layers:', '  regularizer: {l2: 0.5}\n  layers:').replace('epochs: 60', 'epochs: 2');
  const direct: Map<string, number>[] = [];
  const { records } = await trainWith(text, {
    beforeBatch(ctx) {
      assert.equal(ctx.tapGradients, undefined, 'no tap when the optimizer minimises loss + penalty');
    },
    afterEpoch(ctx) {
      direct.push(directKernelNorms(ctx, 32)); // same weights the statistics saw (this hook runs after it)
    },
  });
  const epochs = records.filter((r) => r.when === 'epoch');
  assert.equal(epochs.length, 2);
  epochs.forEach((r, e) => {
    for (const layer of r.layers) close(layer.gradNorm, direct[e]?.get(layer.id), `epoch ${e + 1} ${layer.id}`);
  });
});

test('the confusion matrix counted from the loop\'s validation pass equals a direct count, with no tensor left behind', async () => {
  const text = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 3');
  const direct: number[][][] = [];
  let chunks = 0;
  const { records, tensorsPerEpoch } = await trainWith(text, {
    beforeBatch(ctx) {
      const tap = ctx.tapValidation;
      if (tap) ctx.tapValidation = (y, p) => { chunks++; tap(y, p); };
    },
    afterEpoch(ctx) {
      assert.ok(ctx.val);
      direct.push(collectPredictions(ctx.spec, ctx.model, ctx.val, ctx.val)?.confusion ?? []);
    },
  });
  assert.equal(chunks, 3, 'one validation chunk per epoch was tapped');
  const epochs = records.filter((r) => r.when === 'epoch');
  assert.equal(epochs.length, 3);
  epochs.forEach((r, e) => {
    const m = r.predictions?.confusion;
    assert.deepEqual(m, direct[e]);
    assert.equal(m?.flat().reduce((a, b) => a + b, 0), 359, 'every validation example counted once');
  });
  assert.equal(new Set(tensorsPerEpoch).size, 1, `numTensors per epoch: ${tensorsPerEpoch}`);
});

test('round4 is exactly Number(v.toPrecision(4)) at every magnitude, float32 values, ties and edge cases', () => {
  const reference = (v: number): number => (Number.isFinite(v) && v !== 0 ? Number(v.toPrecision(4)) : v);
  const f32 = new Float32Array(1);
  let seed = 7;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < 200_000; i++) {
    let v = (rand() - 0.5) * 10 ** (rand() * 50 - 25);
    if (i % 3 === 0) v = (f32[0] = v, f32[0] as number);
    if (i % 5 === 0) v = Math.round(v * 1e4) / 1e4 + 5e-5; // near a rounding tie
    assert.equal(round4(v), reference(v), `round4(${v})`);
  }
  for (const v of [1, 10, 999.95, 9999.5, 1000.5, 0.00012345, 1.0005, 2.5e-7, 1e21, 1e-19, 5e-324, Number.MAX_VALUE, -0, NaN, Infinity, -Infinity, 0.1 + 0.2, -123456789]) {
    assert.ok(Object.is(round4(v), reference(v)), `round4(${v}) = ${round4(v)}, want ${reference(v)}`);
  }
});

test('summarize over a typed array with NaN, ±Infinity and zeros matches a plain two-pass computation', () => {
  let seed = 3;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const values = Float32Array.from({ length: 5000 }, () => {
    const r = rand();
    return r < 0.01 ? NaN : r < 0.02 ? Infinity : r < 0.03 ? -Infinity : r < 0.4 ? 0 : (rand() - 0.3) * 4;
  });
  const finite = Array.from(values).filter((v) => Number.isFinite(v));
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const counts = new Array<number>(30).fill(0);
  for (const v of finite) {
    const b = Math.min(29, Math.floor((v - min) / ((max - min) / 30)));
    counts[b] = (counts[b] as number) + 1;
  }
  const s = summarize(values);
  assert.deepEqual(s, {
    count: 5000, min: round4(min), max: round4(max), mean: round4(mean),
    std: round4(Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length)),
    zeros: finite.filter((v) => v === 0).length, nan: Array.from(values).filter((v) => Number.isNaN(v)).length,
    inf: Array.from(values).filter((v) => v === Infinity || v === -Infinity).length,
    hist: { lo: round4(min), hi: round4(max), counts },
  });
});
