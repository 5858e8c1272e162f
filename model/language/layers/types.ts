// What a layer catalogue entry is, and the small arithmetic every entry shares.
import { ACTIVATIONS, INITIALIZERS } from '../vocabulary';

/** The kind of value an option takes; descriptive enough to drive completion and a JSON schema. */
export type OptionType =
  | { type: 'int'; min: number; max?: number }
  | { type: 'number'; min?: number; below?: number }
  | { type: 'bool' }
  | { type: 'enum'; values: readonly string[] }
  /** An integer or a list of `length` integers (kernel sizes, strides). */
  | { type: 'intPair'; min: number }
  /** A list of integers, each >= min; `-1` allowed once where `allowInfer` (a reshape target). */
  | { type: 'intList'; min: number; allowInfer?: boolean }
  /** An initializer name or a one-key map of its options. */
  | { type: 'initializer' }
  /** `{l1: number, l2: number}` (either or both: both is the elastic net). */
  | { type: 'regularizer' };

export type LayerConfig = Record<string, unknown>;

export interface LayerOps {
  /** Multiply-accumulates per example. */
  macs: number;
  /** Other operations per example: pooling comparisons, activations, normalisation, merges. */
  other: number;
}

export interface LayerDef {
  options: Record<string, OptionType>;
  required: readonly string[];
  /** One line for hovers, completion and error messages. */
  doc: string;
  /** 'many': a merge layer that takes two or more inputs (`inputs: [a, b]`); otherwise exactly one. */
  arity?: 'many';
  /**
   * Output shape (without the batch dimension), or a message saying why the input does not fit.
   * `all` holds every input's shape for merge layers (input is all[0]).
   */
  outputShape(input: number[], cfg: LayerConfig, all: number[][]): number[] | string;
  /** All parameters, trainable or not. */
  params(input: number[], cfg: LayerConfig): number;
  /** Parameters that training does not update (batch normalisation's moving mean and variance). */
  nonTrainableParams?(input: number[], cfg: LayerConfig): number;
  /** Where the layer's parameters and multiply-accumulates count in the conv / dense shares. */
  category: 'conv' | 'dense' | 'other';
  ops(input: number[], output: number[], cfg: LayerConfig, all: number[][]): LayerOps;
  /** Bias additions per example (one per output of a layer with a bias), counted apart from MACs. */
  biasAdds?(output: number[], cfg: LayerConfig): number;
  /**
   * How the layer moves a window over its first spatial axis, for the receptive field: kernel size,
   * stride and dilation; `upsample` for layers that enlarge (transposed conv, upsampling).
   */
  window?(cfg: LayerConfig): { size: number; stride: number; dilation: number; upsample?: boolean };
}

export const count = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);
export const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

/** An activation other than linear costs one operation per output. */
export const activationOps = (output: number[], cfg: LayerConfig): number => (cfg.activation && cfg.activation !== 'linear' ? count(output) : 0);
export const hasBias = (cfg: LayerConfig): boolean => cfg.useBias !== false;
/** One bias addition per output value when the layer has a bias. */
export const biasPerOutput = (output: number[], cfg: LayerConfig): number => (hasBias(cfg) ? count(output) : 0);

export const activation: OptionType = { type: 'enum', values: ACTIVATIONS };
export const initializer: OptionType = { type: 'initializer' };
export const regularizer: OptionType = { type: 'regularizer' };
export const padding: OptionType = { type: 'enum', values: ['valid', 'same'] };
export const posInt = (max = 1_000_000): OptionType => ({ type: 'int', min: 1, max });
export const intPair: OptionType = { type: 'intPair', min: 1 };
export const INITIALIZER_NAMES = INITIALIZERS;

export const pair = (v: unknown, fallback: number): [number, number] => {
  if (Array.isArray(v)) return [Number(v[0]), Number(v[1])];
  if (typeof v === 'number') return [v, v];
  return [fallback, fallback];
};
export const single = (v: unknown, fallback: number): number => (Array.isArray(v) ? Number(v[0]) : typeof v === 'number' ? v : fallback);

/** tfjs/Keras output length of a sliding window along one axis. */
export function windowOutput(size: number, window: number, stride: number, pad: string, dilation = 1): number {
  const span = (window - 1) * dilation + 1;
  return pad === 'same' ? Math.ceil(size / stride) : Math.floor((size - span) / stride) + 1;
}

/** The message for a layer that needs a given input rank. */
export const needsRank = (kind: string, rank: number, input: number[]): string | undefined => {
  if (input.length === rank) return undefined;
  const what = rank === 3 ? 'a 3-D input [height, width, channels]' : rank === 2 ? 'a 2-D input [steps, channels]' : `a ${rank}-D input`;
  return `${kind} needs ${what}; it gets ${shapeText(input)}.`;
};

/** Initializer and regularizer options of a layer with a kernel and a bias. */
export const kernelOptions = {
  useBias: { type: 'bool' }, kernelInitializer: initializer, biasInitializer: initializer,
  kernelRegularizer: regularizer, biasRegularizer: regularizer,
} as const satisfies Record<string, OptionType>;
