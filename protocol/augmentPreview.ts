// Host <-> augmentation preview panel messages, and the guards both ends validate them with.
import { arrayOf, isNumber, isObject, isString, optional, shape } from './guards';

export interface PreviewSample {
  /** The class (name or index) of the example. */
  label: string;
  /** The training image as stored, then each augmented draw: height * width * channels bytes (0..255), HWC. */
  original: number[];
  views: number[][];
}

export interface AugmentPreviewView {
  name: string;
  height: number;
  width: number;
  channels: number;
  /** The `augment` settings as text, e.g. "shift 2 · rotation 10". */
  settings: string;
  samples: PreviewSample[];
  /** Why nothing is drawn (no image input, a data error). */
  message?: string;
}

/** `modelFile`: the file previewed (a file on disk), which the page keeps for a reloaded window. */
export type HostToAugmentPreview = { type: 'show'; view: AugmentPreviewView; modelFile?: string };

/** What the page keeps with setState: the model file, previewed again after a window reload. */
export interface AugmentPreviewPanelState {
  modelFile: string;
}

export type AugmentPreviewToHost = { type: 'ready' } | { type: 'redraw' };

// Guards, on both ends.
const isByte = (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= 0 && v <= 255;
const isPixels = arrayOf(isByte, 512 * 512 * 3);
const isSample = shape<PreviewSample>({ label: isString, original: isPixels, views: arrayOf(isPixels, 64) });
const isView = shape<AugmentPreviewView>({
  name: isString, height: isNumber, width: isNumber, channels: isNumber, settings: isString,
  samples: arrayOf(isSample, 64), message: optional(isString),
});

export function asHostToAugmentPreview(v: unknown): HostToAugmentPreview | undefined {
  if (!isObject(v) || v.type !== 'show' || !isView(v.view) || !optional(isString)(v.modelFile)) return undefined;
  const { height, width, channels, samples } = v.view as AugmentPreviewView;
  const size = height * width * channels;
  // Every image must be exactly one image's bytes, or the page would draw garbage.
  const sized = samples.every((s) => s.original.length === size && s.views.every((p) => p.length === size));
  return sized && (channels === 1 || channels === 3) ? (v as HostToAugmentPreview) : undefined;
}

export function asAugmentPreviewToHost(v: unknown): AugmentPreviewToHost | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'redraw') return { type: 'redraw' };
  return undefined;
}
