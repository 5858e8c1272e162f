// Does the model fit its data and its loss? Checked before training, so a mismatch is a message
// on the line to change instead of a shape error from tfjs half a minute later.
import type { ModelSummary } from '../analysis/shapes';
import { DATASETS } from '../data/catalog';
import type { Checker } from './check';
import type { ModelSpec } from './model';
import { rangeAt } from './source';

const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export function checkFit(c: Checker, spec: ModelSpec, summary: ModelSummary): void {
  const def = DATASETS[spec.data.dataset];
  if (!def) return;
  const src = spec.source;
  const inputRange = rangeAt(src, ['model', 'input']) ?? spec.model.layers[0]?.range ?? src.range;
  if (size(spec.model.input) !== size(def.shape)) {
    c.report(inputRange, `'${spec.data.dataset}' examples have shape ${shapeText(def.shape)} (${size(def.shape)} values); model.input ${shapeText(spec.model.input)} holds ${size(spec.model.input)}.`, 'input-shape');
  }
  const last = spec.model.layers[spec.model.layers.length - 1];
  if (!last) return;
  const out = summary.outputShape;
  if (out.length !== 1) {
    c.report(last.range, `The model's output has shape ${shapeText(out)}; a classifier or regressor needs a vector: add flatten and a dense layer at the end.`, 'output-shape');
    return;
  }
  const units = out[0] as number;
  const classes = spec.data.classes || def.classes;
  const unitsRange = last.optionRanges.units ?? last.range;
  const lossRange = rangeAt(src, ['train', 'loss']) ?? src.range;
  const activation = String(last.config.activation ?? 'linear');
  const loss = spec.train.loss;

  if (loss === 'binaryCrossentropy') {
    if (classes !== 2) c.report(lossRange, `binaryCrossentropy is for two classes; '${spec.data.dataset}' has ${classes}: use categoricalCrossentropy with ${classes} softmax units.`, 'loss-data');
    else if (units !== 1) c.report(unitsRange, `binaryCrossentropy needs 1 output unit (the probability of class 1); this layer has ${units}.`, 'output-units');
    else if (activation !== 'sigmoid') c.report(last.range, `binaryCrossentropy expects a probability: end with activation: sigmoid (this layer's activation is ${activation}).`, 'loss-activation', 'warning');
  } else if (loss === 'categoricalCrossentropy') {
    if (units !== classes) c.report(unitsRange, `categoricalCrossentropy needs one output unit per class: '${spec.data.dataset}' has ${classes} classes, this layer has ${units} units.`, 'output-units');
    else if (activation !== 'softmax') c.report(last.range, `categoricalCrossentropy expects probabilities that sum to 1: end with activation: softmax (this layer's activation is ${activation}).`, 'loss-activation', 'warning');
  } else if (loss === 'meanSquaredError' && def.task !== 'regression') {
    if (units !== classes && !(classes === 2 && units === 1)) {
      c.report(unitsRange, `With meanSquaredError on ${classes} classes the output needs ${classes === 2 ? '1 unit (0/1 target) or 2' : classes} units; this layer has ${units}.`, 'output-units');
    } else if (activation === 'softmax') {
      c.report(last.range, 'softmax with meanSquaredError learns slowly (its gradients vanish as outputs saturate); for classes use categoricalCrossentropy.', 'loss-activation', 'warning');
    }
  }
  if (activation === 'softmax' && units === 1) c.report(last.range, 'softmax over a single unit always outputs 1; use sigmoid for a binary output.', 'softmax-one-unit');
  if (spec.train.metrics.includes('accuracy') && def.task === 'regression') {
    c.report(rangeAt(src, ['train', 'metrics']) ?? lossRange, 'accuracy is for classification; this data set is a regression task.', 'metric-task', 'warning');
  }
  const trainSize = Math.floor(spec.data.samples * (1 - spec.data.validationSplit));
  if (spec.train.batchSize > trainSize && trainSize > 0) {
    c.report(rangeAt(src, ['train', 'batchSize']) ?? src.range, `batchSize ${spec.train.batchSize} is larger than the ${trainSize} training examples: every step uses the full set.`, 'batch-size', 'info');
  }
}
