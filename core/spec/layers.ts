// The layer catalogue: for each tfjs layer the model file accepts, its options, how its output
// shape follows from its input shape, and how many parameters it has. Pure arithmetic, no tfjs,
// so it runs on every keystroke.
import { ACTIVATIONS, INITIALIZERS } from './vocabulary';

export type OptionType =
  | { type: 'int'; min: number; max?: number }
  | { type: 'number'; min?: number; below?: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'intPair'; min: number }
  | { type: 'initializer' };

export interface LayerDef {
  options: Record<string, OptionType>;
  required: readonly string[];
  /** One line for hovers and error messages. */
  doc: string;
  /** Output shape (without the batch dimension), or a message saying why the input does not fit. */
  outputShape(input: number[], cfg: LayerConfig): number[] | string;
  params(input: number[], cfg: LayerConfig): number;
  /** Where the layer's parameters and multiply-accumulates count in the conv / dense shares. */
  category: 'conv' | 'dense' | 'other';
  /** Multiply-accumulates per example, and other operations (pooling comparisons, activations). */
  ops(input: number[], output: number[], cfg: LayerConfig): { macs: number; other: number };
  /** Kernel size, stride and dilation along height for the receptive field; undefined: not spatial. */
  window?(cfg: LayerConfig): { size: number; stride: number; dilation: number };
}

const count = (s: number[]): number => s.reduce((a, b) => a * b, 1);
/** An activation other than linear costs one operation per output. */
const activationOps = (output: number[], cfg: LayerConfig): number => (cfg.activation && cfg.activation !== 'linear' ? count(output) : 0);

export type LayerConfig = Record<string, unknown>;

const activation: OptionType = { type: 'enum', values: ACTIVATIONS };
const initializer: OptionType = { type: 'initializer' };
const padding: OptionType = { type: 'enum', values: ['valid', 'same'] };

const pair = (v: unknown, fallback: number): [number, number] => {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1])];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
};

/** tfjs/Keras output length of a sliding window along one axis. */
export function windowOutput(size: number, window: number, stride: number, pad: string, dilation = 1): number {
  const span = (window - 1) * dilation + 1;
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

const shapeText = (s: number[]): string => `[${s.join(', ')}]`;

export const LAYERS: Record<string, LayerDef> = {
  dense: {
    doc: 'Fully connected layer: output = activation(input · kernel + bias).',
    options: { units: { type: 'int', min: 1, max: 1_000_000 }, activation, useBias: { type: 'bool' }, kernelInitializer: initializer, biasInitializer: initializer },
    required: ['units'],
    outputShape: (input, cfg) => [...input.slice(0, -1), Number(cfg.units)],
    params: (input, cfg) => (input[input.length - 1] ?? 0) * Number(cfg.units) + (cfg.useBias === false ? 0 : Number(cfg.units)),
    category: 'dense',
    // in*out for each position of the leading dimensions (a dense layer on [t, in] runs t times).
    ops: (input, output, cfg) => ({ macs: count(input) * Number(cfg.units), other: activationOps(output, cfg) }),
  },
  conv2d: {
    doc: '2-D convolution over [height, width, channels] with `filters` kernels of `kernelSize`.',
    options: {
      filters: { type: 'int', min: 1, max: 65536 }, kernelSize: { type: 'intPair', min: 1 }, strides: { type: 'intPair', min: 1 },
      padding, dilationRate: { type: 'intPair', min: 1 }, activation, useBias: { type: 'bool' }, kernelInitializer: initializer, biasInitializer: initializer,
    },
    required: ['filters', 'kernelSize'],
    outputShape: (input, cfg) => {
      if (input.length !== 3) return `conv2d needs a 3-D input [height, width, channels]; it gets ${shapeText(input)}.`;
      const [h, w, _c] = input as [number, number, number];
      const [kh, kw] = pair(cfg.kernelSize, 1);
      const [sh, sw] = pair(cfg.strides, 1);
      const [dh, dw] = pair(cfg.dilationRate, 1);
      const pad = String(cfg.padding ?? 'valid');
      const oh = windowOutput(h, kh, sh, pad, dh);
      const ow = windowOutput(w, kw, sw, pad, dw);
      if (oh < 1 || ow < 1) return `A ${kh}x${kw} kernel does not fit a ${h}x${w} input with padding '${pad}'; use padding: same or a smaller kernel.`;
      return [oh, ow, Number(cfg.filters)];
    },
    params: (input, cfg) => {
      const [kh, kw] = pair(cfg.kernelSize, 1);
      const f = Number(cfg.filters);
      return kh * kw * (input[2] ?? 0) * f + (cfg.useBias === false ? 0 : f);
    },
    category: 'conv',
    ops: (input, output, cfg) => {
      const [kh, kw] = pair(cfg.kernelSize, 1);
      return { macs: count(output) * kh * kw * (input[2] ?? 0), other: activationOps(output, cfg) };
    },
    window: (cfg) => ({ size: pair(cfg.kernelSize, 1)[0], stride: pair(cfg.strides, 1)[0], dilation: pair(cfg.dilationRate, 1)[0] }),
  },
  maxPooling2d: {
    doc: 'Max over each `poolSize` window, moved by `strides` (default: the pool size).',
    options: { poolSize: { type: 'intPair', min: 1 }, strides: { type: 'intPair', min: 1 }, padding },
    required: [],
    outputShape: (input, cfg) => {
      if (input.length !== 3) return `maxPooling2d needs a 3-D input [height, width, channels]; it gets ${shapeText(input)}.`;
      const [h, w, c] = input as [number, number, number];
      const [ph, pw] = pair(cfg.poolSize, 2);
      const [sh, sw] = cfg.strides === undefined ? [ph, pw] : pair(cfg.strides, 1);
      const pad = String(cfg.padding ?? 'valid');
      const oh = windowOutput(h, ph, sh, pad);
      const ow = windowOutput(w, pw, sw, pad);
      if (oh < 1 || ow < 1) return `A ${ph}x${pw} pool does not fit a ${h}x${w} input.`;
      return [oh, ow, c];
    },
    params: () => 0,
    category: 'other',
    ops: (_input, output, cfg) => {
      const [ph, pw] = pair(cfg.poolSize, 2);
      return { macs: 0, other: count(output) * ph * pw };
    },
    window: (cfg) => {
      const size = pair(cfg.poolSize, 2)[0];
      return { size, stride: cfg.strides === undefined ? size : pair(cfg.strides, 1)[0], dilation: 1 };
    },
  },
  flatten: {
    doc: 'Flattens everything but the batch dimension into one vector.',
    options: {},
    required: [],
    outputShape: (input) => [input.reduce((a, b) => a * b, 1)],
    params: () => 0,
    category: 'other',
    ops: () => ({ macs: 0, other: 0 }),
  },
  dropout: {
    doc: 'Sets a random `rate` fraction of inputs to 0 while training and scales the rest by 1/(1-rate); does nothing at test time.',
    options: { rate: { type: 'number', min: 0, below: 1 } },
    required: ['rate'],
    outputShape: (input) => input,
    params: () => 0,
    category: 'other',
    // Training only: a random mask and a scale per value.
    ops: () => ({ macs: 0, other: 0 }),
  },
};

export const LAYER_NAMES = Object.keys(LAYERS);
/** Keys every layer takes besides its own options. */
export const COMMON_LAYER_KEYS = ['id', 'inputs', 'trainable'] as const;
export const INITIALIZER_NAMES = INITIALIZERS;
