// Most of the parameters in one fully connected layer on a big flattened feature map: the pattern
// of AlexNet and VGG that later networks replaced with global average pooling.
import { LAYERS } from '../language/layers';
import { renameLayer } from './edits';
import { producer, summaryOf } from './graph';
import { ruleFamily } from './rule';

/** From a 6x6 map on (AlexNet's last one) a flattened dense layer starts to dominate the count. */
const MIN_POSITIONS = 36;
const MIN_SHARE = 0.5;

export const featureMap = ruleFamily([
  { code: 'dense-on-feature-map', severity: 'info', title: 'A dense layer on a large flattened feature map', explanation: 'A dense layer on a flattened feature map connects every position of every channel to every unit, so its weight count is height × width × channels × units: in AlexNet and VGG the fully connected layers hold about 90% of all parameters while doing under 10% of the work. Global average pooling first averages each channel over the map, leaving one number per channel; the dense layer after it is height × width times smaller, overfits less, and the network no longer depends on the exact input size.' },
], (ctx) => {
  const { spec, summary } = ctx;
  const total = summary.totals.params;
  for (const dense of spec.model.layers) {
    if (dense.kind !== 'dense') continue;
    const flat = producer(spec, dense);
    if (!flat || flat.kind !== 'flatten') continue;
    const fs = summaryOf(summary, flat.id);
    const ds = summaryOf(summary, dense.id);
    if (!fs || !ds || fs.inputShape.length !== 3 || !total) continue;
    const [h, w, c] = fs.inputShape as [number, number, number];
    const share = ds.params / total;
    if (h * w < MIN_POSITIONS || share < MIN_SHARE) continue;
    const units = ds.outputShape[ds.outputShape.length - 1] ?? 0;
    const pooled = c * units + (dense.config.useBias === false ? 0 : units);
    const gap = LAYERS.globalAveragePooling2d ? 'globalAveragePooling2d' : undefined;
    ctx.report('dense-on-feature-map', dense.range,
      `This dense layer holds ${(100 * share).toFixed(1)}% of the model's parameters (${ds.params.toLocaleString('en-US')}) because it sees the whole ${h}x${w}x${c} map flattened. ` +
      `Global average pooling instead of flatten would leave it ${pooled.toLocaleString('en-US')}.`,
      [gap ? { title: `Replace flatten with ${gap}`, edits: renameLayer(ctx, flat, gap), preferred: true } : undefined]);
  }
});
