// What "Model Lab: Preview Augmentation" shows: the first training images of a model file, each
// with several augmented draws, as bytes ready to draw. Plain JavaScript over the loaded data
// (no tfjs), using the same Augmenter as training batches.
import type { AugmentPreviewView, PreviewSample } from '../../protocol/augmentPreview';
import type { AugmentSpec, ModelSpec } from '../../model/language/model';
import { deriveSeed } from '../../common/random';
import { Augmenter } from './augment';
import { loadTrainingData, type DataPlace } from './loadTraining';

export interface PreviewOptions {
  examples?: number;
  draws?: number;
  /** Which draw this is (0 = what the first epoch's seed gives; "Draw again" counts up). */
  round?: number;
}

export function augmentSettingsText(a: AugmentSpec | undefined): string {
  if (!a || Object.keys(a).length === 0) return 'no augmentation';
  return Object.entries(a).map(([k, v]) => (v === true ? k : `${k} ${Array.isArray(v) ? `[${v.join(', ')}]` : String(v)}`)).join(' · ');
}

export function augmentPreview(spec: ModelSpec, place: DataPlace, o: PreviewOptions = {}): AugmentPreviewView {
  const input = spec.model.input;
  const settings = augmentSettingsText(spec.data.augment);
  const empty = (message: string): AugmentPreviewView => ({ name: spec.name, height: 0, width: 0, channels: 1, settings, samples: [], message });
  if (input.length !== 3 || (input[2] !== 1 && input[2] !== 3)) {
    return empty(`Augmentation works on images: model.input must be [height, width, 1 or 3]; it is [${input.join(', ')}].`);
  }
  const [h, w, c] = input as [number, number, number];
  if (h * w > 512 * 512) return empty(`The images are ${h}x${w}; the preview draws images up to 512x512.`);
  let train;
  try {
    train = loadTrainingData(spec, place).train;
  } catch (e) {
    return empty((e as Error).message);
  }
  const size = h * w * c;
  const examples = Math.min(o.examples ?? 8, train.n);
  const draws = o.draws ?? 6;
  const augmenter = new Augmenter(spec.data.augment ?? {}, [h, w, c], deriveSeed(deriveSeed(spec.train.seed, 11), o.round ?? 0));
  // One scale for all images: 0..1 when the data is, else the range of the examples shown.
  let lo = 0;
  let hi = 1;
  const shown = train.x.subarray(0, examples * size);
  const [min, max] = shown.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
  if (min < 0 || max > 1) [lo, hi] = [min, max > min ? max : min + 1];
  const bytes = (img: Float32Array): number[] => Array.from(img, (v) => Math.round(255 * Math.min(1, Math.max(0, (v - lo) / (hi - lo)))));
  const names = (train as { classNames?: string[] }).classNames;
  const samples: PreviewSample[] = [];
  for (let i = 0; i < examples; i++) {
    const original = train.x.slice(i * size, (i + 1) * size);
    const views: number[][] = [];
    for (let d = 0; d < draws; d++) {
      const img = original.slice();
      augmenter.applyOne(img);
      views.push(bytes(img));
    }
    const y = train.y[i] as number;
    samples.push({ label: names?.[y] ?? String(y), original: bytes(original), views });
  }
  return { name: spec.name, height: h, width: w, channels: c, settings, samples };
}
