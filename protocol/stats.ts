// Shapes of the statistics a run collects about the inside of its network (weights, gradients,
// activations, filters, predictions) and of the diagnostics drawn from them, with their guards.
// They travel worker -> host (protocol/worker.ts 'stats' / 'diagnostics'), are appended to the run
// record's stats.jsonl (read back through the same guards) and go to the inside panels
// (protocol/inside.ts).
import { arrayOf, isNumber, isNumeric, isObject, isString, oneOf, optional, shape } from './guards';

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

// The byte encoding of maps and filters (common/stats/mapCodec.ts encodes and decodes it); what a
// boundary needs of it lives here: whether a message's bytes really are the shape it states.

/** Conv filters (kh, kw, in, out) as one stack of kh*kw rows of in*out channels: a scale per (in, out) tile. */
export function filterStackShape(shape: readonly number[]): [number, number, number] {
  const [kh = 0, kw = 0, cin = 0, cout = 0] = shape;
  return [kh * kw, 1, cin * cout];
}

/** Whether every example's bytes decode to one (h, w, c) stack (the boundary check). */
export function isConsistent(maps: NonNullable<FeatureMaps['quantized']>, shape: readonly number[]): boolean {
  const [h = 0, w = 0, c = 0] = shape;
  if (maps.scales.length !== maps.bytes.length) return false;
  if (!maps.scales.every((s) => s.length === c && s.every((x) => Number.isFinite(x) && x >= 0))) return false;
  // base64 of n bytes is 4 * ceil(n / 3) characters.
  return maps.bytes.every((b) => b.length === 4 * Math.ceil((h * w * c) / 3) && decodeBytes(b)?.length === h * w * c);
}

/** base64 text back to signed bytes; undefined if it is not base64. Only the platform's atob (Node has it too). */
export function decodeBytes(text: string): Int8Array | undefined {
  let s: string;
  try {
    s = atob(text);
  } catch {
    return undefined;
  }
  const out = new Int8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) << 24 >> 24;
  return out;
}

// Guards: a record or diagnostic that fails them is dropped where it arrives.


const numbers = (max: number) => arrayOf(isNumeric, max);
const isHistogram = shape<Histogram>({ lo: isNumeric, hi: isNumeric, counts: numbers(1024) });
const isSummary = shape<ValueSummary>({
  count: isNumber, min: isNumeric, max: isNumeric, mean: isNumeric, std: isNumeric, zeros: isNumber, nan: isNumber, inf: isNumber, hist: isHistogram,
});
const isQuantized = shape<NonNullable<FeatureMaps['quantized']>>({ scales: arrayOf(numbers(100_000), 64), bytes: arrayOf(isString, 64) });
const isFilterFields = shape<FilterImages>({ shape: numbers(4), values: optional(numbers(100_000)), quantized: optional(isQuantized), totalFilters: isNumber });
const isFilters = (v: unknown): v is FilterImages => isFilterFields(v) && (v.values !== undefined || v.quantized !== undefined) &&
  (v.quantized === undefined || (v.quantized.bytes.length === 1 && isConsistent(v.quantized, filterStackShape(v.shape))));
const isMapFields = shape<FeatureMaps>({ shape: numbers(3), examples: optional(arrayOf(numbers(100_000), 64)), quantized: optional(isQuantized) });
/** Either encoding, and quantized bytes that decode to the stated shape. */
const isMaps = (v: unknown): v is FeatureMaps => isMapFields(v) && (v.examples !== undefined || v.quantized !== undefined) &&
  (v.quantized === undefined || isConsistent(v.quantized, v.shape));
const isTarget = shape<NonNullable<LayerStats['target']>>({ rule: oneOf('glorot', 'he', 'lecun'), std: isNumeric, initializer: isString, initializerStd: optional(isNumeric) });
const optNum = optional(isNumeric);

export const isLayerStats = shape<LayerStats>({
  id: isString, kind: isString, index: isNumber, activation: optional(isString), fanIn: optNum, fanOut: optNum, target: optional(isTarget),
  kernel: optional(isSummary), bias: optional(isSummary), gradNorm: optNum, gradRms: optNum, weightNorm: optNum, updateRatio: optNum,
  act: optional(isSummary), dead: optNum, saturated: optNum, filters: optional(isFilters), maps: optional(isMaps),
});

const isPredictions = shape<PredictionStats>({
  grid: optional(shape<NonNullable<PredictionStats['grid']>>({ x0: isNumeric, x1: isNumeric, y0: isNumeric, y1: isNumeric, n: isNumber, classes: isNumber, values: numbers(100_000) })),
  points: optional(shape<NonNullable<PredictionStats['points']>>({ x: arrayOf(numbers(8), 10_000), label: numbers(10_000) })),
  curve: optional(shape<NonNullable<PredictionStats['curve']>>({ x: numbers(10_000), y: numbers(10_000) })),
  confusion: optional(arrayOf(numbers(1000), 1000)),
});

export const isStatsRecord = shape<StatsRecord>({
  step: isNumber, epoch: isNumber, when: oneOf('init', 'epoch', 'step'), layers: arrayOf(isLayerStats, 10_000),
  probeInputs: optional(shape<NonNullable<StatsRecord['probeInputs']>>({ shape: numbers(8), examples: arrayOf(numbers(100_000), 64) })),
  predictions: optional(isPredictions),
});

const isPosition = shape<{ line: number; character: number }>({ line: isNumber, character: isNumber });
const isPath = arrayOf((v: unknown): v is string | number => isString(v) || isNumber(v), 32);

export const isTrainingDiagnostic = shape<TrainingDiagnostic>({
  severity: oneOf('error', 'warning', 'info'), message: isString, code: isString,
  range: (v: unknown) => isObject(v) && isPosition(v.start) && isPosition(v.end),
  anchor: isPath, answers: arrayOf(isPath, 32), answered: optional(isString),
});
