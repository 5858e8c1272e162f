// Fully connected layers: dense and maxout (a dense layer with `pieces` linear pieces per unit,
// keeping the largest; Goodfellow et al. 2013).
import { activation, activationOps, biasPerOutput, count, hasBias, kernelOptions, posInt, type LayerDef } from './types';

const last = (s: number[]): number => s[s.length - 1] ?? 0;

export const DENSE_LAYERS: Record<string, LayerDef> = {
  dense: {
    doc: 'Fully connected layer: output = activation(input · kernel + bias).',
    options: { units: posInt(), activation, ...kernelOptions },
    required: ['units'],
    outputShape: (input, cfg) => [...input.slice(0, -1), Number(cfg.units)],
    params: (input, cfg) => last(input) * Number(cfg.units) + (hasBias(cfg) ? Number(cfg.units) : 0),
    category: 'dense',
    // in*out for each position of the leading dimensions (a dense layer on [t, in] runs t times).
    ops: (input, output, cfg) => ({ macs: count(input) * Number(cfg.units), other: activationOps(output, cfg) }),
    biasAdds: biasPerOutput,
  },
  maxout: {
    doc: 'Maxout: `units` outputs, each the largest of `pieces` linear functions of the input (a learned piecewise-linear activation).',
    options: { units: posInt(), pieces: posInt(64), ...kernelOptions },
    required: ['units', 'pieces'],
    outputShape: (input, cfg) => [...input.slice(0, -1), Number(cfg.units)],
    params: (input, cfg) => {
      const outs = Number(cfg.units) * Number(cfg.pieces);
      return last(input) * outs + (hasBias(cfg) ? outs : 0);
    },
    category: 'dense',
    ops: (input, output, cfg) => ({ macs: count(input) * Number(cfg.units) * Number(cfg.pieces), other: count(output) * (Number(cfg.pieces) - 1) }),
    biasAdds: (output, cfg) => biasPerOutput(output, cfg) * Number(cfg.pieces),
  },
};
