// Test-time augmentation (the seed's ResNet recipe: "average a fixed set of crops", corners and
// centre, plus flips, at several scales): after each epoch, the validation images are also scored as the mean of the
// model's outputs over those views, and the accuracy of that mean is reported beside the plain
// one as EpochPoint.valAccuracyTTA.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec, TtaSpec } from '../../model/language/model';
import type { TrainingHook } from './hooks';
import { correctCount } from './losses';
import type { TensorPair } from './tensors';

const CHUNK = 256;

/** [top, left] offsets into the image padded by p on every side: centre first, then the four corners. */
export function cropOffsets(tta: TtaSpec): [number, number][] {
  const p = tta.padding;
  return tta.crops === 1 ? [[p, p]] : [[p, p], [0, 0], [0, 2 * p], [2 * p, 0], [2 * p, 2 * p]];
}

/** Every view of one batch x [n, h, w, c]: each crop, each with the flips asked for. */
export function ttaViews(x: tf.Tensor4D, tta: TtaSpec): tf.Tensor4D[] {
  // tidy: the padded image is an intermediate; only the views survive.
  return tf.tidy(() => makeViews(x, tta));
}

function makeViews(x: tf.Tensor4D, tta: TtaSpec): tf.Tensor4D[] {
  const [n, h, w, c] = x.shape;
  const views: tf.Tensor4D[] = [];
  const withFlips = (crop: tf.Tensor4D): void => {
    views.push(crop);
    if (tta.flipHorizontal) views.push(tf.reverse(crop, 2));
    if (tta.flipVertical) views.push(tf.reverse(crop, 1));
  };
  const p = tta.padding;
  const padded = tta.crops === 1 ? x : tf.pad(x, [[0, 0], [p, p], [p, p], [0, 0]]);
  for (const [top, left] of cropOffsets(tta)) withFlips(tta.crops === 1 ? x : tf.slice(padded, [0, top, left, 0], [n, h, w, c]));
  for (const scale of tta.scales ?? [1]) {
    if (scale <= 1) continue;
    // The image enlarged, then cut back to the model's size at the centre (and the four corners).
    const big = tf.image.resizeBilinear(x, [Math.round(h * scale), Math.round(w * scale)]);
    for (const [top, left] of scaledOffsets(big.shape[1], big.shape[2], h, w, tta.crops)) withFlips(tf.slice(big, [0, top, left, 0], [n, h, w, c]));
  }
  return views;
}

/** [top, left] of the h x w crops of an H x W image: centre first, then the four corners. */
export function scaledOffsets(H: number, W: number, h: number, w: number, crops: 1 | 5): [number, number][] {
  const centre: [number, number] = [Math.floor((H - h) / 2), Math.floor((W - w) / 2)];
  return crops === 1 ? [centre] : [centre, [0, 0], [0, W - w], [H - h, 0], [H - h, W - w]];
}

/** Accuracy of the mean output over all views. */
export function ttaAccuracy(model: tfl.LayersModel, data: TensorPair, tta: TtaSpec): number {
  let correct = 0;
  for (let start = 0; start < data.n; start += CHUNK) {
    const size = Math.min(CHUNK, data.n - start);
    const count = tf.tidy(() => {
      const x = tf.slice(data.x, start, size) as tf.Tensor4D;
      const y = tf.slice(data.y, start, size);
      const views = ttaViews(x, tta);
      const outputs = views.map((v) => model.apply(v, { training: false }) as tf.Tensor);
      return correctCount(y, tf.div(tf.addN(outputs), views.length));
    });
    correct += count.dataSync()[0] as number;
    count.dispose();
  }
  return correct / Math.max(1, data.n);
}

export function testTimeAugmentationHook(spec: ModelSpec): TrainingHook | undefined {
  const tta = spec.data.testTimeAugmentation;
  if (!tta || spec.model.input.length !== 3 || spec.train.loss === 'meanSquaredError') return undefined;
  return {
    afterEpoch(ctx, point) {
      if (ctx.val && ctx.val.n > 0) point.valAccuracyTTA = ttaAccuracy(ctx.model, ctx.val, tta);
    },
  };
}
