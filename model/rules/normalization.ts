// Depth without normalisation: deep stacks of saturating activations, and batch normalisation
// placed after the activation instead of before it.
import { LAYERS } from '../language/layers';
import { insertLayerAfter, setLayerOption } from './edits';
import { activationOf, isNonLinear, lastLayer, NORMALIZATION, producer, SATURATING, WEIGHTED } from './graph';
import { ruleFamily } from './rule';

/** From this many sigmoid/tanh layers on, gradients reaching the first ones are tiny. */
export const DEEP_SATURATING = 4;

export const normalization = ruleFamily([
  { code: 'vanishing-gradients', severity: 'warning', title: 'Deep stack of sigmoid/tanh without normalisation', explanation: 'The slope of sigmoid is at most 0.25 and that of tanh at most 1, and both are nearly zero once a unit saturates. Backpropagation multiplies one such slope per layer, so in a deep stack the gradient that reaches the first layers shrinks towards zero and they stop learning (vanishing gradients). The course\'s remedies: ReLU in the hidden layers, an initialization matched to the activation, and batch normalisation, which keeps each layer\'s inputs in the active region of the activation.' },
  { code: 'bn-after-activation', severity: 'info', title: 'Batch normalisation after the activation', explanation: 'Batch normalisation rescales each unit over the mini-batch to mean 0 and variance 1, then lets the network learn a scale and shift. It is usually placed before the activation, so that it moves the pre-activations into the activation\'s active region (where ReLU is not always off and sigmoid is not flat). After the activation it works too, but it normalises values that have already been clipped or squashed.' },
], (ctx) => {
  const { spec } = ctx;
  const last = lastLayer(spec);
  const hasNorm = spec.model.layers.some((l) => NORMALIZATION.has(l.kind));
  const saturating = spec.model.layers.filter((l) => l !== last && SATURATING.has(activationOf(l) ?? ''));
  const deepest = saturating[DEEP_SATURATING - 1];
  if (!hasNorm && deepest) {
    const edits = saturating.filter((l) => WEIGHTED.has(l.kind) || l.kind === 'activation').map((l) => setLayerOption(ctx, l, 'activation', 'relu'));
    ctx.report('vanishing-gradients', deepest.optionRanges.activation ?? deepest.range,
      `${saturating.length} hidden layers use sigmoid/tanh and none normalises: the gradient shrinks at every one of them and the first layers will barely learn. Use relu in the hidden layers or add batchNormalization.`,
      [edits.every((e) => e) ? { title: 'Use relu in the hidden layers', edits: edits.flatMap((e) => e ?? []) } : undefined]);
  }
  for (const bn of spec.model.layers) {
    if (bn.kind !== 'batchNormalization') continue;
    const before = producer(spec, bn);
    const act = before && activationOf(before);
    if (!before || !WEIGHTED.has(before.kind) || !isNonLinear(act)) continue;
    // Move the activation behind the normalisation, when an activation layer exists to carry it.
    const unset = setLayerOption(ctx, before, 'activation', 'linear');
    const insert = LAYERS.activation ? insertLayerAfter(ctx, bn, `activation: {activation: ${act}}`) : undefined;
    ctx.report('bn-after-activation', bn.range, `batchNormalization follows the ${act} of '${before.id}'; it is usually placed before the activation: ${before.kind} (linear) → batchNormalization → ${act}.`,
      [unset && insert ? { title: `Move ${act} after batchNormalization`, edits: [...unset, ...insert] } : undefined]);
  }
});
