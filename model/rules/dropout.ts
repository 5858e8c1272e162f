// Dropout rates that do nothing or drop most of the signal.
import { setLayerOption } from './edits';
import { ruleFamily } from './rule';

const DROPOUT_KINDS = new Set(['dropout', 'spatialDropout1d', 'spatialDropout2d', 'alphaDropout', 'gaussianDropout']);

export const dropout = ruleFamily([
  { code: 'dropout-rate', severity: 'warning', title: 'Dropout rate outside the useful range', explanation: 'Dropout sets a random fraction of a layer\'s outputs to zero at every training step, so the network cannot rely on any single unit; it is like training an ensemble of thinned networks that share weights. A rate of 0 drops nothing (the layer does nothing), and a rate above about 0.7 throws away most of the signal, so the network underfits and learns slowly. 0.5 is the common choice for dense layers, 0.1 to 0.3 after convolutions.' },
], (ctx) => {
  for (const layer of ctx.spec.model.layers) {
    if (!DROPOUT_KINDS.has(layer.kind) || typeof layer.config.rate !== 'number') continue;
    const rate = layer.config.rate;
    if (rate > 0 && rate <= 0.7) continue;
    const edits = setLayerOption(ctx, layer, 'rate', 0.5);
    ctx.report('dropout-rate', layer.optionRanges.rate ?? layer.range,
      rate <= 0 ? `A dropout rate of ${rate} drops nothing: the layer has no effect.` : `A dropout rate of ${rate} drops ${Math.round(rate * 100)}% of the values at every step; above 0.7 the network keeps too little signal to learn well.`,
      [edits && { title: 'Set rate to 0.5', edits, preferred: true }]);
  }
});
