// Shapes of the statistics a run collects about the inside of its network (weights, gradients,
// activations, filters, predictions) and of the diagnostics drawn from them. Type-only. They travel
// worker -> host (protocol/worker.ts 'stats' / 'diagnostics'), are appended to the run record's
// stats.jsonl and go to the inside panels (protocol/inside.ts).
/** Fixed-width bins over [lo, hi]; counts.length bins. Finite values only. */
export interface Histogram {
  lo: number;
  hi: number;
  counts: number[];
}

/** A summary of a tensor's values: what crosses to the host instead of the values themselves. */
export interface ValueSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  zeros: number;
  nan: number;
  inf: number;
  hist: Histogram;
}

/** The distribution an initialiser should give a layer: the recommended one for its activation. */
export interface InitTarget {
  /** Glorot, He or LeCun: which rule the std comes from. */
  rule: 'glorot' | 'he' | 'lecun';
  std: number;
  /** What the file's initializer gives (its own std), for 'measured vs intended vs recommended'. */
  initializer: string;
  initializerStd?: number;
}

export interface FilterImages {
  /** [kernelHeight, kernelWidth, inChannels, filters] of the values sent (filters may be cut). */
  shape: [number, number, number, number];
  /** Kernel values in tfjs order (h, w, in, out), rounded to 4 significant digits (records written
   *  before filters were quantized). */
  values?: number[];
  /** The same values as signed bytes, one stack of kh*kw rows of in*out channels: each (in, out)
   *  tile has its own scale, so every tile draws as the floats would (common/stats/mapCodec.ts). */
  quantized?: { scales: number[][]; bytes: string[] };
  /** All filters the layer has (shape[3] may be fewer when the message budget cut them). */
  totalFilters: number;
}

export interface FeatureMaps {
  /** [height, width, channels] of one map stack; one stack per probe example sent. */
  shape: [number, number, number];
  /** Per example: values in (h, w, c) order, rounded (how records written before quantized maps hold them). */
  examples?: number[][];
  /** Per example: the maps as signed bytes in (h, w, c) order, base64, a value being byte / 127 times
   *  its channel's scale (the largest |value| of that example's map); common/stats/mapCodec.ts. */
  quantized?: { scales: number[][]; bytes: string[] };
}

export interface LayerStats {
  id: string;
  kind: string;
  index: number;
  activation?: string;
  fanIn?: number;
  fanOut?: number;
  target?: InitTarget;
  kernel?: ValueSummary;
  bias?: ValueSummary;
  /** L2 norm of the kernel's gradient on the sampled batch, and per parameter (RMS). */
  gradNorm?: number;
  gradRms?: number;
  weightNorm?: number;
  /** ||w_t - w_prev|| / ||w_prev|| per optimizer step since the previous statistics. */
  updateRatio?: number;
  /** Activations (the layer's output) on the probe batch. */
  act?: ValueSummary;
  /** Fraction of units (channels for conv) never positive on the probe batch (ReLU family). */
  dead?: number;
  /** Fraction of outputs in the flat tails of sigmoid/tanh. */
  saturated?: number;
  filters?: FilterImages;
  maps?: FeatureMaps;
}

/** Predictions of the model, for the predictions panel. */
export interface PredictionStats {
  /** 2-D inputs: the model's output over a grid (row-major, y rows, x columns). */
  grid?: { x0: number; x1: number; y0: number; y1: number; n: number; classes: number; values: number[] };
  /** Probe points: inputs (2-D) or 1-D x with their targets. */
  points?: { x: number[][]; label: number[] };
  /** 1-D regression: prediction curve over the input range. */
  curve?: { x: number[]; y: number[] };
  /** Classification on the validation set (or the probe batch): rows true class, columns predicted. */
  confusion?: number[][];
}

export interface StatsRecord {
  /** Optimizer steps done when collected (0 at init). */
  step: number;
  epoch: number;
  when: 'init' | 'epoch' | 'step';
  /** Only the layers this part carries: large models split one collection over several messages. */
  layers: LayerStats[];
  /** Probe inputs for the feature-map picker (first part only). */
  probeInputs?: { shape: number[]; examples: number[][] };
  predictions?: PredictionStats;
}

/** A diagnostic found while training, with what the user could change to answer it. */
export interface TrainingDiagnostic {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** 0-based, like model/language/diagnostic.ts Range, in the text that ran. */
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  code: string;
  /** Path in the model file of the token the message is on (it follows edits). */
  anchor: (string | number)[];
  /** Paths whose values, when changed, answer the diagnostic (then it is cleared). */
  answers: (string | number)[][];
  /** The values at `answers` when the run started, as JSON (compared after each edit). */
  answered?: string;
}
