// Pooling: max and average over windows (any pool size, stride and padding; the stride defaults to
// the pool size, as in tfjs), and global pooling that keeps one value per channel.
import { count, needsRank, pair, single, windowOutput, type LayerConfig, type LayerDef, type OptionType } from './types';

const padding: OptionType = { type: 'enum', values: ['valid', 'same'] };

function pool2d(kind: string, doc: string): LayerDef {
  const poolPair = (cfg: LayerConfig) => pair(cfg.poolSize, 2);
  const stridePair = (cfg: LayerConfig) => (cfg.strides === undefined ? poolPair(cfg) : pair(cfg.strides, 1));
  return {
    doc,
    options: { poolSize: { type: 'intPair', min: 1 }, strides: { type: 'intPair', min: 1 }, padding },
    required: [],
    outputShape: (input, cfg) => {
      const rank = needsRank(kind, 3, input);
      if (rank) return rank;
      const [h, w, c] = input as [number, number, number];
      const [ph, pw] = poolPair(cfg);
      const [sh, sw] = stridePair(cfg);
      const pad = String(cfg.padding ?? 'valid');
      const oh = windowOutput(h, ph, sh, pad);
      const ow = windowOutput(w, pw, sw, pad);
      if (oh < 1 || ow < 1) return `A ${ph}x${pw} pool does not fit a ${h}x${w} input with padding '${pad}'.`;
      return [oh, ow, c];
    },
    params: () => 0,
    category: 'other',
    // One comparison (max) or addition (average) per window element per output.
    ops: (_input, output, cfg) => ({ macs: 0, other: count(output) * poolPair(cfg)[0] * poolPair(cfg)[1] }),
    window: (cfg) => ({ size: poolPair(cfg)[0], stride: stridePair(cfg)[0], dilation: 1 }),
  };
}

function pool1d(kind: string, doc: string): LayerDef {
  const size = (cfg: LayerConfig) => single(cfg.poolSize, 2);
  const stride = (cfg: LayerConfig) => (cfg.strides === undefined ? size(cfg) : single(cfg.strides, 1));
  return {
    doc,
    options: { poolSize: { type: 'int', min: 1, max: 4096 }, strides: { type: 'int', min: 1, max: 4096 }, padding },
    required: [],
    outputShape: (input, cfg) => {
      const rank = needsRank(kind, 2, input);
      if (rank) return rank;
      const pad = String(cfg.padding ?? 'valid');
      const out = windowOutput(input[0] as number, size(cfg), stride(cfg), pad);
      if (out < 1) return `A pool of ${size(cfg)} steps does not fit ${input[0]} steps with padding '${pad}'.`;
      return [out, input[1] as number];
    },
    params: () => 0,
    category: 'other',
    ops: (_input, output, cfg) => ({ macs: 0, other: count(output) * size(cfg) }),
    window: (cfg) => ({ size: size(cfg), stride: stride(cfg), dilation: 1 }),
  };
}

function globalPool(kind: string, rank: number, doc: string): LayerDef {
  return {
    doc,
    options: {},
    required: [],
    outputShape: (input) => needsRank(kind, rank, input) ?? [input[rank - 1] as number],
    params: () => 0,
    category: 'other',
    ops: (input) => ({ macs: 0, other: count(input) }),
  };
}

export const POOLING_LAYERS: Record<string, LayerDef> = {
  maxPooling2d: pool2d('maxPooling2d', 'Max over each `poolSize` window, moved by `strides` (default: the pool size).'),
  averagePooling2d: pool2d('averagePooling2d', 'Average over each `poolSize` window, moved by `strides` (default: the pool size).'),
  maxPooling1d: pool1d('maxPooling1d', 'Max over each window of `poolSize` steps, moved by `strides` (default: the pool size).'),
  averagePooling1d: pool1d('averagePooling1d', 'Average over each window of `poolSize` steps, moved by `strides` (default: the pool size).'),
  globalAveragePooling2d: globalPool('globalAveragePooling2d', 3, 'Average of each channel over all positions: [h, w, c] -> [c] (replaces flatten + dense in NIN/GoogLeNet-style heads).'),
  globalMaxPooling2d: globalPool('globalMaxPooling2d', 3, 'Max of each channel over all positions: [h, w, c] -> [c].'),
  globalAveragePooling1d: globalPool('globalAveragePooling1d', 2, 'Average of each channel over all steps: [steps, c] -> [c].'),
  globalMaxPooling1d: globalPool('globalMaxPooling1d', 2, 'Max of each channel over all steps: [steps, c] -> [c].'),
};
