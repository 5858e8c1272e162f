// Normalisation layers. Batch normalisation keeps a moving mean and variance per channel: counted as
// parameters (as Keras and tfjs count them) but not trainable. groupNormalization and
// instanceNormalization are custom tfjs layers (engine/train/customLayers/).
import { count, initializer, regularizer, shapeText, type LayerConfig, type LayerDef, type OptionType } from './types';

const axisOption: OptionType = { type: 'int', min: -8, max: 8 };
const flag: OptionType = { type: 'bool' };
const epsilon: OptionType = { type: 'number', min: 0 };

/** Size of the normalised axis; tfjs counts positive axes with the batch dimension as 0. */
function axisSize(input: number[], cfg: LayerConfig): number | undefined {
  const axis = Number(cfg.axis ?? -1);
  const i = axis < 0 ? input.length + axis : axis - 1;
  return i >= 0 && i < input.length ? input[i] : undefined;
}
const badAxis = (kind: string, input: number[], cfg: LayerConfig): string =>
  `${kind}.axis ${String(cfg.axis)} is not an axis of its input ${shapeText(input)} (tfjs counts the batch as axis 0; -1 is the last).`;
const affine = (cfg: LayerConfig): number => (cfg.center === false ? 0 : 1) + (cfg.scale === false ? 0 : 1);
const channels = (input: number[]): number => input[input.length - 1] ?? 0;

/** Normalise, then scale and shift: about four operations per value. */
const normOps = (_input: number[], output: number[]) => ({ macs: 0, other: 4 * count(output) });

export const NORMALIZATION_LAYERS: Record<string, LayerDef> = {
  batchNormalization: {
    doc: 'Normalises each channel with the batch mean and variance while training (a moving average of them at test time), then scales by gamma and shifts by beta.',
    options: {
      axis: axisOption, momentum: { type: 'number', min: 0, below: 1 }, epsilon, center: flag, scale: flag,
      gammaInitializer: initializer, betaInitializer: initializer, movingMeanInitializer: initializer, movingVarianceInitializer: initializer,
      gammaRegularizer: regularizer, betaRegularizer: regularizer,
    },
    required: [],
    outputShape: (input, cfg) => (axisSize(input, cfg) === undefined ? badAxis('batchNormalization', input, cfg) : input),
    params: (input, cfg) => (axisSize(input, cfg) ?? 0) * (2 + affine(cfg)),
    nonTrainableParams: (input, cfg) => 2 * (axisSize(input, cfg) ?? 0),
    category: 'other',
    // At inference it folds into one multiply and one add per value.
    ops: (_input, output) => ({ macs: 0, other: 2 * count(output) }),
  },
  layerNormalization: {
    doc: 'Normalises each example over its last axis (mean 0, variance 1), then scales and shifts per feature.',
    options: { axis: axisOption, epsilon, center: flag, scale: flag, gammaInitializer: initializer, betaInitializer: initializer, gammaRegularizer: regularizer, betaRegularizer: regularizer },
    required: [],
    outputShape: (input, cfg) => (axisSize(input, cfg) === undefined ? badAxis('layerNormalization', input, cfg) : input),
    params: (input, cfg) => (axisSize(input, cfg) ?? 0) * affine(cfg),
    category: 'other',
    ops: normOps,
  },
  groupNormalization: {
    doc: 'Normalises each example over groups of `groups` channel groups (and all positions), then scales and shifts per channel; independent of the batch size.',
    options: { groups: { type: 'int', min: 1, max: 65536 }, epsilon, center: flag, scale: flag },
    required: ['groups'],
    outputShape: (input, cfg) => {
      const c = channels(input);
      if (input.length < 1) return 'groupNormalization needs an input with a channel axis.';
      return c % Number(cfg.groups) === 0 ? input : `groupNormalization: ${c} channels do not split into ${String(cfg.groups)} equal groups.`;
    },
    params: (input, cfg) => channels(input) * affine(cfg),
    category: 'other',
    ops: normOps,
  },
  instanceNormalization: {
    doc: 'Normalises each channel of each example over its positions (group normalisation with one channel per group), then scales and shifts.',
    options: { epsilon, center: flag, scale: flag },
    required: [],
    outputShape: (input) => (input.length >= 2 ? input : `instanceNormalization needs positions and channels; it gets ${shapeText(input)}.`),
    params: (input, cfg) => channels(input) * affine(cfg),
    category: 'other',
    ops: normOps,
  },
};
