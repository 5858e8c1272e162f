// Host <-> augmentation preview panel messages. Validated on arrival by protocol/validate/validateAugmentPreview.ts.

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
