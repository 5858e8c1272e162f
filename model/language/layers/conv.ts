// Convolutions: 1-D, 2-D, transposed, depthwise and depthwise-separable. MACs count one
// multiply-accumulate per kernel weight per output position (per input position for transposed).
import {
  activation, activationOps, biasPerOutput, count, hasBias, initializer, intPair, kernelOptions, needsRank, pair, posInt, regularizer, single, windowOutput,
  type LayerConfig, type LayerDef, type OptionType,
} from './types';

const padding: OptionType = { type: 'enum', values: ['valid', 'same'] };

/** Output [h, w] of a 2-D window layer, or a message when the kernel does not fit. */
function spatial2d(kind: string, input: number[], cfg: LayerConfig): [number, number] | string {
  const rank = needsRank(kind, 3, input);
  if (rank) return rank;
  const [h, w] = input as [number, number, number];
  const [kh, kw] = pair(cfg.kernelSize, 1);
  const [sh, sw] = pair(cfg.strides, 1);
  const [dh, dw] = pair(cfg.dilationRate, 1);
  const pad = String(cfg.padding ?? 'valid');
  const oh = windowOutput(h, kh, sh, pad, dh);
  const ow = windowOutput(w, kw, sw, pad, dw);
  if (oh < 1 || ow < 1) return `A ${kh}x${kw} kernel${dh > 1 || dw > 1 ? ` (dilation ${dh}x${dw})` : ''} does not fit a ${h}x${w} input with padding '${pad}'; use padding: same or a smaller kernel.`;
  return [oh, ow];
}

const window2d = (cfg: LayerConfig) => ({ size: pair(cfg.kernelSize, 1)[0], stride: pair(cfg.strides, 1)[0], dilation: pair(cfg.dilationRate, 1)[0] });
const kernelArea = (cfg: LayerConfig): number => {
  const [kh, kw] = pair(cfg.kernelSize, 1);
  return kh * kw;
};
const window2dOptions = { kernelSize: intPair, strides: intPair, padding, dilationRate: intPair, activation } as const;

/** tfjs's transposed-conv output length along one axis. */
const deconvLength = (size: number, stride: number, kernel: number, pad: string): number => (pad === 'same' ? size * stride : size * stride + Math.max(kernel - stride, 0));

export const CONV_LAYERS: Record<string, LayerDef> = {
  conv1d: {
    // No 'causal' padding: tfjs 4.22 computes its output shape as 'valid' but pads as 'same'.
    doc: '1-D convolution over [steps, channels] with `filters` kernels of `kernelSize` steps.',
    options: {
      filters: posInt(65536), kernelSize: posInt(4096), strides: posInt(4096), padding,
      dilationRate: posInt(4096), activation, ...kernelOptions,
    },
    required: ['filters', 'kernelSize'],
    outputShape: (input, cfg) => {
      const rank = needsRank('conv1d', 2, input);
      if (rank) return rank;
      const k = single(cfg.kernelSize, 1);
      const pad = String(cfg.padding ?? 'valid');
      const out = windowOutput(input[0] as number, k, single(cfg.strides, 1), pad, single(cfg.dilationRate, 1));
      if (out < 1) return `A kernel of ${k} steps does not fit ${input[0]} steps with padding '${pad}'; use padding: same or a smaller kernel.`;
      return [out, Number(cfg.filters)];
    },
    params: (input, cfg) => single(cfg.kernelSize, 1) * (input[1] ?? 0) * Number(cfg.filters) + (hasBias(cfg) ? Number(cfg.filters) : 0),
    category: 'conv',
    ops: (input, output, cfg) => ({ macs: count(output) * single(cfg.kernelSize, 1) * (input[1] ?? 0), other: activationOps(output, cfg) }),
    biasAdds: biasPerOutput,
    window: (cfg) => ({ size: single(cfg.kernelSize, 1), stride: single(cfg.strides, 1), dilation: single(cfg.dilationRate, 1) }),
  },
  conv2d: {
    doc: '2-D convolution over [height, width, channels] with `filters` kernels of `kernelSize`.',
    options: { filters: posInt(65536), ...window2dOptions, ...kernelOptions },
    required: ['filters', 'kernelSize'],
    outputShape: (input, cfg) => {
      const hw = spatial2d('conv2d', input, cfg);
      return typeof hw === 'string' ? hw : [...hw, Number(cfg.filters)];
    },
    params: (input, cfg) => kernelArea(cfg) * (input[2] ?? 0) * Number(cfg.filters) + (hasBias(cfg) ? Number(cfg.filters) : 0),
    category: 'conv',
    ops: (input, output, cfg) => ({ macs: count(output) * kernelArea(cfg) * (input[2] ?? 0), other: activationOps(output, cfg) }),
    biasAdds: biasPerOutput,
    window: window2d,
  },
  conv2dTranspose: {
    doc: 'Transposed 2-D convolution ("deconvolution"): upsamples by `strides`, each input position spreading a `kernelSize` patch to `filters` channels.',
    options: { filters: posInt(65536), kernelSize: intPair, strides: intPair, padding, activation, ...kernelOptions },
    required: ['filters', 'kernelSize'],
    outputShape: (input, cfg) => {
      const rank = needsRank('conv2dTranspose', 3, input);
      if (rank) return rank;
      const [kh, kw] = pair(cfg.kernelSize, 1);
      const [sh, sw] = pair(cfg.strides, 1);
      const pad = String(cfg.padding ?? 'valid');
      return [deconvLength(input[0] as number, sh, kh, pad), deconvLength(input[1] as number, sw, kw, pad), Number(cfg.filters)];
    },
    params: (input, cfg) => kernelArea(cfg) * (input[2] ?? 0) * Number(cfg.filters) + (hasBias(cfg) ? Number(cfg.filters) : 0),
    category: 'conv',
    ops: (input, output, cfg) => ({ macs: count(input) * kernelArea(cfg) * Number(cfg.filters), other: activationOps(output, cfg) }),
    biasAdds: biasPerOutput,
    window: (cfg) => ({ size: pair(cfg.kernelSize, 1)[0], stride: pair(cfg.strides, 1)[0], dilation: 1, upsample: true }),
  },
  depthwiseConv2d: {
    doc: 'Depthwise 2-D convolution: each input channel convolved with its own `depthMultiplier` kernels (no mixing across channels).',
    options: {
      ...window2dOptions, depthMultiplier: posInt(1024), useBias: { type: 'bool' },
      depthwiseInitializer: initializer, biasInitializer: initializer, depthwiseRegularizer: regularizer, biasRegularizer: regularizer,
    },
    required: ['kernelSize'],
    outputShape: (input, cfg) => {
      const hw = spatial2d('depthwiseConv2d', input, cfg);
      return typeof hw === 'string' ? hw : [...hw, (input[2] ?? 0) * Number(cfg.depthMultiplier ?? 1)];
    },
    params: (input, cfg) => {
      const out = (input[2] ?? 0) * Number(cfg.depthMultiplier ?? 1);
      return kernelArea(cfg) * out + (hasBias(cfg) ? out : 0);
    },
    category: 'conv',
    // groups = input channels: outH*outW*outC*kH*kW*inC/groups = outputs * kH*kW.
    ops: (_input, output, cfg) => ({ macs: count(output) * kernelArea(cfg), other: activationOps(output, cfg) }),
    biasAdds: biasPerOutput,
    window: window2d,
  },
  separableConv2d: {
    doc: 'Depthwise-separable 2-D convolution: a depthwise `kernelSize` convolution per channel, then a 1x1 convolution to `filters` channels.',
    options: {
      filters: posInt(65536), ...window2dOptions, depthMultiplier: posInt(1024), useBias: { type: 'bool' },
      depthwiseInitializer: initializer, pointwiseInitializer: initializer, biasInitializer: initializer,
      depthwiseRegularizer: regularizer, pointwiseRegularizer: regularizer, biasRegularizer: regularizer,
    },
    required: ['filters', 'kernelSize'],
    outputShape: (input, cfg) => {
      const hw = spatial2d('separableConv2d', input, cfg);
      return typeof hw === 'string' ? hw : [...hw, Number(cfg.filters)];
    },
    params: (input, cfg) => {
      const mid = (input[2] ?? 0) * Number(cfg.depthMultiplier ?? 1);
      return kernelArea(cfg) * mid + mid * Number(cfg.filters) + (hasBias(cfg) ? Number(cfg.filters) : 0);
    },
    category: 'conv',
    ops: (input, output, cfg) => {
      const positions = (output[0] ?? 0) * (output[1] ?? 0);
      const mid = (input[2] ?? 0) * Number(cfg.depthMultiplier ?? 1);
      return { macs: positions * mid * kernelArea(cfg) + positions * mid * Number(cfg.filters), other: activationOps(output, cfg) };
    },
    biasAdds: biasPerOutput,
    window: window2d,
  },
};
