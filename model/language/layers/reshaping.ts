// Layers that move values around without parameters: flatten, reshape, zero padding, upsampling.
import { count, needsRank, pair, shapeText, type LayerDef } from './types';

const free = { params: () => 0, category: 'other' as const, ops: () => ({ macs: 0, other: 0 }) };

export const RESHAPING_LAYERS: Record<string, LayerDef> = {
  flatten: {
    doc: 'Flattens everything but the batch dimension into one vector.',
    options: {},
    required: [],
    // tfjs rejects flatten on a vector (it wants 2+ dimensions besides the batch); it would do nothing anyway.
    outputShape: (input) => (input.length >= 2 ? [count(input)] : `flatten needs at least 2 dimensions to flatten; its input ${shapeText(input)} is already a vector: remove it.`),
    ...free,
  },
  reshape: {
    doc: 'Reshapes each example to `targetShape` (same number of values; one dimension may be -1, inferred).',
    options: { targetShape: { type: 'intList', min: 1, allowInfer: true } },
    required: ['targetShape'],
    outputShape: (input, cfg) => {
      const target = (cfg.targetShape as number[]).slice();
      const known = count(target.filter((d) => d !== -1));
      const infer = target.indexOf(-1);
      if (infer >= 0) {
        if (count(input) % known !== 0) return `reshape cannot fit ${count(input)} values (${shapeText(input)}) into ${shapeText(target)}.`;
        target[infer] = count(input) / known;
      } else if (known !== count(input)) {
        return `reshape to ${shapeText(target)} needs ${known} values; its input ${shapeText(input)} has ${count(input)}.`;
      }
      return target;
    },
    ...free,
  },
  zeroPadding2d: {
    doc: 'Adds `padding` rows and columns of zeros on each side: an int, or [rows, columns].',
    options: { padding: { type: 'intPair', min: 0 } },
    required: [],
    outputShape: (input, cfg) => {
      const rank = needsRank('zeroPadding2d', 3, input);
      if (rank) return rank;
      const [ph, pw] = pair(cfg.padding, 1);
      return [(input[0] as number) + 2 * ph, (input[1] as number) + 2 * pw, input[2] as number];
    },
    ...free,
    window: () => ({ size: 1, stride: 1, dilation: 1 }),
  },
  upSampling2d: {
    doc: 'Repeats rows and columns `size` times (nearest) or interpolates (bilinear): [h, w, c] -> [h*sh, w*sw, c].',
    options: { size: { type: 'intPair', min: 1 }, interpolation: { type: 'enum', values: ['nearest', 'bilinear'] } },
    required: [],
    outputShape: (input, cfg) => {
      const rank = needsRank('upSampling2d', 3, input);
      if (rank) return rank;
      const [sh, sw] = pair(cfg.size, 2);
      return [(input[0] as number) * sh, (input[1] as number) * sw, input[2] as number];
    },
    params: () => 0,
    category: 'other',
    ops: (_input, output, cfg) => ({ macs: 0, other: cfg.interpolation === 'bilinear' ? 4 * count(output) : 0 }),
    window: (cfg) => ({ size: 1, stride: pair(cfg.size, 2)[0], dilation: 1, upsample: true }),
  },
};
