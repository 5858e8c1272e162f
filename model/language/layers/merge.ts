// Layers that join two or more inputs (`inputs: [a, b]`): skip connections (add), inception
// branches (concatenate), gating (multiply).
import { count, shapeText, type LayerDef } from './types';

const list = (all: number[][]): string => all.map(shapeText).join(', ');

function elementwise(kind: string, doc: string): LayerDef {
  return {
    doc, arity: 'many', options: {}, required: [],
    outputShape: (input, _cfg, all) => {
      const same = all.every((s) => s.length === input.length && s.every((d, i) => d === input[i]));
      return same ? input : `${kind} needs inputs of the same shape; it gets ${list(all)}.${kind === 'add' ? ' A skip connection over a layer that changes the shape needs a 1x1 conv2d (a projection) on the shortcut.' : ''}`;
    },
    params: () => 0,
    category: 'other',
    ops: (_input, output, _cfg, all) => ({ macs: 0, other: count(output) * (all.length - 1) }),
  };
}

export const MERGE_LAYERS: Record<string, LayerDef> = {
  add: elementwise('add', 'Element-wise sum of its inputs (a residual / skip connection): `inputs: [a, b]`.'),
  multiply: elementwise('multiply', 'Element-wise product of its inputs: `inputs: [a, b]`.'),
  concatenate: {
    doc: 'Joins its inputs along `axis` (default -1, the channels): inception-style branches, `inputs: [a, b, c]`.',
    arity: 'many',
    options: { axis: { type: 'int', min: -8, max: 8 } },
    required: [],
    outputShape: (input, cfg, all) => {
      const axis = Number(cfg.axis ?? -1);
      const i = axis < 0 ? input.length + axis : axis - 1;
      if (i < 0 || i >= input.length) return `concatenate.axis ${axis} is not an axis of ${shapeText(input)} (tfjs counts the batch as axis 0; -1 is the last).`;
      const fits = all.every((s) => s.length === input.length && s.every((d, j) => j === i || d === input[j]));
      if (!fits) return `concatenate along axis ${axis} needs inputs that agree on every other axis; it gets ${list(all)}.`;
      const out = input.slice();
      out[i] = all.reduce((sum, s) => sum + (s[i] ?? 0), 0);
      return out;
    },
    params: () => 0,
    category: 'other',
    ops: () => ({ macs: 0, other: 0 }),
  },
};
