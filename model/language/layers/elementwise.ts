// Layers applied value by value: activations as layers, and dropout.
import { ACTIVATIONS } from '../vocabulary';
import { count, type LayerDef } from './types';

function pointwise(doc: string, options: LayerDef['options'], required: readonly string[] = []): LayerDef {
  return {
    doc, options, required,
    outputShape: (input) => input,
    params: () => 0,
    category: 'other',
    ops: (_input, output) => ({ macs: 0, other: count(output) }),
  };
}

export const ELEMENTWISE_LAYERS: Record<string, LayerDef> = {
  activation: pointwise('Applies `activation` to every value (as a layer of its own, e.g. after batchNormalization).', { activation: { type: 'enum', values: ACTIVATIONS } }, ['activation']),
  reLU: pointwise('max(x, 0), capped at `maxValue` if given.', { maxValue: { type: 'number', min: 0 } }),
  leakyReLU: pointwise('x for x > 0, alpha·x otherwise (tfjs default alpha 0.3; the course uses 0.1).', { alpha: { type: 'number', min: 0 } }),
  elu: pointwise('x for x > 0, alpha·(exp(x) - 1) otherwise.', { alpha: { type: 'number', min: 0 } }),
  // No `axis`: tfjs's softmax supports only the last one.
  softmax: pointwise('exp(x) / sum(exp(x)) along the last axis: values that sum to 1.', {}),
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
