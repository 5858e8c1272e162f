// The layer catalogue: for each layer the model file accepts (tfjs names and options), its
// options, how its output shape follows from its input shapes, its parameters and its operations.
// Pure arithmetic, no tfjs, so it runs on every keystroke. One file per family of layers.
import { CONV_LAYERS } from './conv';
import { DENSE_LAYERS } from './dense';
import { ELEMENTWISE_LAYERS } from './elementwise';
import { MERGE_LAYERS } from './merge';
import { NORMALIZATION_LAYERS } from './normalization';
import { POOLING_LAYERS } from './pooling';
import { RESHAPING_LAYERS } from './reshaping';
import type { LayerDef } from './types';

export type { LayerConfig, LayerDef, LayerOps, OptionType } from './types';
export { INITIALIZER_NAMES, windowOutput } from './types';

const ALL: Record<string, LayerDef> = {
  ...DENSE_LAYERS, ...CONV_LAYERS, ...POOLING_LAYERS, ...RESHAPING_LAYERS, ...NORMALIZATION_LAYERS, ...ELEMENTWISE_LAYERS, ...MERGE_LAYERS,
};


// The first five are the original layers, listed first in messages and completion.
const FIRST = ['dense', 'conv2d', 'maxPooling2d', 'flatten', 'dropout'];
export const LAYERS: Record<string, LayerDef> = Object.fromEntries(
  [...FIRST, ...Object.keys(ALL).filter((k) => !FIRST.includes(k))].map((k) => [k, ALL[k] as LayerDef]),
);

export const LAYER_NAMES = Object.keys(LAYERS);
/** Keys every layer takes besides its own options. */
export const COMMON_LAYER_KEYS = ['id', 'inputs', 'trainable'] as const;
