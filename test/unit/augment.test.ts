import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { Augmenter, makeAugmenter, warp } from '../../engine/data/augment';
import { parseModel } from '../../model/language/parse';
import type { TtaSpec } from '../../model/language/model';
import { useBackend } from '../../engine/train/backend';
import { buildModel } from '../../engine/train/buildModel';
import { BatchAssembler, encode } from '../../engine/train/tensors';
import { cropOffsets, ttaAccuracy, ttaViews } from '../../engine/train/testTimeAugmentation';
import { wasmDir } from './helpers';

/** A 4x5 one-channel image whose pixel value is its index + 1 (0 is the fill value). */
const ramp = (): Float32Array => Float32Array.from({ length: 20 }, (_, i) => i + 1);
const at = (img: Float32Array, y: number, x: number): number => img[y * 5 + x]!;
const identity = { flipH: false, flipV: false, dx: 0, dy: 0, scale: 1, angle: 0 };

test('warp: flips mirror exactly, shifts move by whole pixels and fill with zeros', () => {
  const out = new Float32Array(20);
  warp(ramp(), out, [4, 5, 1], { ...identity, flipH: true });
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) assert.equal(at(out, y, x), y * 5 + (4 - x) + 1);
  warp(ramp(), out, [4, 5, 1], { ...identity, flipV: true });
  for (let y = 0; y < 4; y++) for (let x = 0; x < 5; x++) assert.equal(at(out, y, x), (3 - y) * 5 + x + 1);
  warp(ramp(), out, [4, 5, 1], { ...identity, dx: 2, dy: -1 });
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 5; x++) {
      const [sy, sx] = [y + 1, x - 2];
      assert.equal(at(out, y, x), sy < 4 && sx >= 0 ? sy * 5 + sx + 1 : 0, `(${y}, ${x})`);
    }
  }
  warp(ramp(), out, [4, 5, 1], identity);
  assert.deepEqual(out, ramp());
  // A half turn of a square image is both flips.
  const sq = Float32Array.from({ length: 9 }, (_, i) => i);
  const turned = new Float32Array(9);
  warp(sq, turned, [3, 3, 1], { ...identity, angle: Math.PI });
  assert.deepEqual(Array.from(turned, (v) => Math.round(v * 1e4) / 1e4), [8, 7, 6, 5, 4, 3, 2, 1, 0]);
});

test('an augmenter keeps the shape, is deterministic under a seed and differs for another seed', () => {
  const spec = { randomCrop: 2, randomScale: [0.9, 1.1] as [number, number], flipHorizontal: true, flipVertical: true, shift: 1, rotation: 15, gaussianNoise: 0.1, cutout: 3 };
  const batch = () => Float32Array.from({ length: 8 * 6 * 6 * 2 }, (_, i) => Math.sin(i));
  const a = batch();
  const b = batch();
  const c = batch();
  new Augmenter(spec, [6, 6, 2], 42).apply(a, 8);
  new Augmenter(spec, [6, 6, 2], 42).apply(b, 8);
  new Augmenter(spec, [6, 6, 2], 43).apply(c, 8);
  assert.equal(a.length, 8 * 72);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.notDeepEqual(a, batch(), 'the images changed');
  assert.ok(a.every(Number.isFinite));
  // Only the first n images of the buffer are touched.
  const part = batch();
  new Augmenter(spec, [6, 6, 2], 42).apply(part, 3);
  assert.deepEqual(part.subarray(3 * 72), batch().subarray(3 * 72));
});

test('each augmentation does what it says', () => {
  const img = () => new Float32Array(64).fill(1);
  const flips = new Augmenter({ flipHorizontal: true }, [8, 8, 1], 1);
  const draws = Array.from({ length: 200 }, () => flips.applyOne(ramp8()).flipH);
  const share = draws.filter(Boolean).length / 200;
  assert.ok(share > 0.35 && share < 0.65, `half the images flip: ${share}`);
  const cut = img();
  const d = new Augmenter({ cutout: 4 }, [8, 8, 1], 3).applyOne(cut);
  const [top, left] = d.cutout!;
  let zeros = 0;
  for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) {
    const inside = y >= top && y < top + 4 && x >= left && x < left + 4;
    assert.equal(cut[y * 8 + x], inside ? 0 : 1);
    zeros += Number(inside);
  }
  assert.ok(zeros > 0 && zeros <= 16);
  const noisy = new Float32Array(10000);
  new Augmenter({ gaussianNoise: 0.2 }, [100, 100, 1], 5).applyOne(noisy);
  const sd = Math.sqrt(noisy.reduce((s, v) => s + v * v, 0) / noisy.length);
  assert.ok(Math.abs(sd - 0.2) < 0.01, `noise deviation ${sd}`);
  const crop = new Augmenter({ randomCrop: 2 }, [8, 8, 1], 9);
  for (let i = 0; i < 50; i++) {
    const r = crop.applyOne(img());
    assert.ok(Math.abs(r.dx) <= 2 && Math.abs(r.dy) <= 2 && Number.isInteger(r.dx));
  }
  const zoom = new Augmenter({ randomScale: [0.5, 0.6] }, [8, 8, 1], 2);
  const zoomed = img();
  const z = zoom.applyOne(zoomed);
  assert.ok(z.scale >= 0.5 && z.scale <= 0.6);
  assert.equal(zoomed[0], 0, 'zooming out leaves a zero border');
  assert.ok(zoomed[27]! > 0.99, 'the middle keeps the image');
  assert.equal(makeAugmenter({ flipHorizontal: true }, [64], 1), undefined, 'no augmenter for vector inputs');
});

function ramp8(): Float32Array {
  return Float32Array.from({ length: 64 }, (_, i) => i);
}

test('BatchAssembler hands the augmenter each batch, not the stored data', async () => {
  await useBackend('wasm', wasmDir);
  const ds = { name: 't', x: Float32Array.from({ length: 4 * 9 }, (_, i) => i), y: Float32Array.from([0, 1, 0, 1]), n: 4, shape: [3, 3, 1], classes: 2, task: 'binary' as const };
  const set = encode(ds, [3, 3, 1], 2);
  const seen: number[] = [];
  const flipAll = { apply: (x: Float32Array, n: number) => { seen.push(n); warp(x.slice(0, 9), x.subarray(0, 9), [3, 3, 1], { ...identity, flipH: true }); } };
  const batch = new BatchAssembler(set, flipAll).batch(Int32Array.from([2, 0]));
  assert.deepEqual(seen, [2]);
  assert.deepEqual(Array.from(batch.x.dataSync().slice(0, 3)), [20, 19, 18]);
  assert.deepEqual(Array.from(set.x.subarray(18, 21)), [18, 19, 20], 'the stored examples are unchanged');
  tf.dispose([batch.x, batch.y]);
});

test('the model file: augment keys checked on their values, and only for image input', () => {
  const file = (data: string, input = '[8, 8, 1]') => `data:\n  dataset: digits\n${data}\nmodel:\n  input: ${input}\n  layers:\n    - flatten\n    - dense: {units: 10, activation: softmax}\ntrain:\n  loss: categoricalCrossentropy\n`;
  const ok = parseModel(file('  augment: {randomCrop: 1, flipHorizontal: true, randomScale: 0.1, rotation: 10, gaussianNoise: 0.05, cutout: 2, shift: 1}\n  testTimeAugmentation: true'));
  assert.ok(ok.spec, JSON.stringify(ok.diagnostics));
  assert.deepEqual(ok.spec.data.augment?.randomScale, [0.9, 1.1]);
  assert.deepEqual(ok.spec.data.testTimeAugmentation, { flipHorizontal: true, flipVertical: false, crops: 5, padding: 1 });
  const vector = parseModel(file('  augment: {flipHorizontal: true}', '[64]'));
  assert.ok(vector.diagnostics.some((d) => d.code === 'augment-needs-images' && d.range.start.line === 2));
  const typo = parseModel(file('  augment: {flipHorizontaly: true}'));
  assert.ok(typo.diagnostics.some((d) => d.code === 'unknown-key' && /Did you mean 'flipHorizontal'/.test(d.message)));
  const bad = parseModel(file('  augment: {randomScale: [1.2, 0.8]}'));
  assert.ok(bad.diagnostics.some((d) => /min 1\.2 is above max 0\.8/.test(d.message) && d.range.start.line === 2));
  const crops = parseModel(file('  testTimeAugmentation: {crops: 3}'));
  assert.ok(crops.diagnostics.some((d) => /must be 1 \(the image\) or 5/.test(d.message)));
  const one = parseModel(file('  testTimeAugmentation: {crops: 1}'));
  assert.ok(one.diagnostics.some((d) => d.code === 'tta-one-view' && d.severity === 'warning'));
});

test('TTA: crop offsets and views, and the accuracy of the averaged output, with no tensor left behind', async () => {
  await useBackend('wasm', wasmDir);
  const tta: TtaSpec = { flipHorizontal: true, flipVertical: false, crops: 5, padding: 1 };
  assert.deepEqual(cropOffsets(tta), [[1, 1], [0, 0], [0, 2], [2, 0], [2, 2]]);
  const before = tf.memory().numTensors;
  const x = tf.tensor4d(ramp(), [1, 4, 5, 1]);
  const views = ttaViews(x, tta);
  assert.equal(views.length, 10);
  const arr = (t: tf.Tensor) => Array.from(t.dataSync());
  assert.deepEqual(arr(views[0]!), Array.from(ramp()), 'the centre crop is the image');
  assert.deepEqual(arr(views[1]!).slice(0, 5), [5, 4, 3, 2, 1], 'the centre crop flipped');
  assert.deepEqual(arr(views[2]!).slice(0, 10), [0, 0, 0, 0, 0, 0, 1, 2, 3, 4], 'top-left crop: the image moved down-right by one pixel');
  assert.deepEqual(arr(views[4]!).slice(5, 10), [2, 3, 4, 5, 0], 'top-right crop: moved down-left');
  tf.dispose([x, ...views]);
  assert.equal(tf.memory().numTensors, before);

  const spec = parseModel('data:\n  dataset: digits\nmodel:\n  input: [8, 8, 1]\n  layers:\n    - flatten\n    - dense: {units: 10, activation: softmax}\ntrain:\n  loss: categoricalCrossentropy\n  seed: 1\n').spec!;
  const model = buildModel(spec);
  const n = 12;
  const xs = tf.randomUniform([n, 8, 8, 1], 0, 1, 'float32', 3);
  const plain = model.apply(xs) as tf.Tensor;
  const labels = tf.oneHot(tf.argMax(plain, -1), 10);
  const data = { x: xs, y: tf.cast(labels, 'float32'), n };
  const mark = tf.memory().numTensors;
  const single = ttaAccuracy(model, data, { flipHorizontal: false, flipVertical: false, crops: 1, padding: 1 });
  assert.equal(single, 1, 'one view: the plain predictions, which are the labels');
  const many = ttaAccuracy(model, data, tta);
  assert.ok(many >= 0 && many <= 1);
  // The averaged view agrees with a hand computation over the same ten views.
  const manual = tf.tidy(() => {
    const vs = ttaViews(xs as tf.Tensor4D, tta);
    const mean = tf.div(tf.addN(vs.map((v) => model.apply(v) as tf.Tensor)), vs.length);
    return tf.mean(tf.cast(tf.equal(tf.argMax(mean, -1), tf.argMax(data.y, -1)), 'float32')).dataSync()[0];
  });
  assert.ok(Math.abs(many - manual!) < 1e-6, `${many} vs ${manual}`);
  assert.equal(tf.memory().numTensors, mark, 'TTA leaves no tensor');
  tf.dispose([xs, plain, labels, data.y]);
  model.dispose();
});

test('the augmentation preview: originals and draws as bytes the panel validator accepts, seeded by round', async () => {
  const { augmentPreview } = await import('../../engine/data/preview');
  const { asHostToAugmentPreview } = await import('../../protocol/augmentPreview');
  const { datasetsDir, example, repo } = await import('./helpers');
  const modelFile = `${repo}/examples/mnist-augment.model.yaml`;
  const spec = parseModel(example('mnist-augment.model.yaml'), { modelFile }).spec!;
  const place = { datasetsDir, modelFile };
  const view = augmentPreview(spec, place);
  assert.equal(view.message, undefined);
  assert.equal(view.samples.length, 8);
  assert.equal(view.settings, 'shift 2 · rotation 10 · randomScale [0.9, 1.1]');
  for (const s of view.samples) {
    assert.equal(s.original.length, 784);
    assert.equal(s.views.length, 6);
    assert.ok(s.views.some((v) => v.some((p, i) => p !== s.original[i])), 'the draws differ from the original');
    assert.match(s.label, /^[0-9]$/);
  }
  assert.ok(asHostToAugmentPreview({ type: 'show', view }), 'the panel accepts it');
  assert.deepEqual(augmentPreview(spec, place), view, 'same round, same draws');
  assert.notDeepEqual(augmentPreview(spec, place, { round: 1 }).samples[0]!.views, view.samples[0]!.views, 'Draw again gives new draws');
  const broken = { ...view, samples: [{ ...view.samples[0]!, original: view.samples[0]!.original.slice(1) }] };
  assert.equal(asHostToAugmentPreview({ type: 'show', view: broken }), undefined, 'an image of the wrong size is rejected');
  const vector = parseModel(example('digits.model.yaml')).spec!;
  assert.match(augmentPreview(vector, place).message ?? '', /model\.input must be \[height, width, 1 or 3\]/);
});
