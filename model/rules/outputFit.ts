// Does the model fit its data and its loss? Checked before training, so a mismatch is a message
// on the line to change instead of a shape error from tfjs half a minute later.
import { outputActivation } from '../language/dataShape';
import { rangeAt } from '../language/source';
import { setLayerOption, setValue } from './edits';
import { lastLayer } from './graph';
import { type RuleContext, ruleFamily } from './rule';

const shapeText = (s: number[]): string => `[${s.join(', ')}]`;
const size = (s: number[]): number => s.reduce((a, b) => a * b, 1);

export const outputFit = ruleFamily([
  { code: 'input-shape', severity: 'error', title: 'The input does not match the data', explanation: 'The first layer receives one example at a time, so model.input must hold exactly as many numbers as one example of the data set. If the sizes differ, TensorFlow.js fails with a shape error when training starts; here the mismatch is shown on the line to change.' },
  { code: 'output-shape', severity: 'error', title: 'The output is not a vector', explanation: 'A classifier outputs one score per class and a regressor one number per target, so the last layer must produce a vector. Convolution and pooling layers produce feature maps [height, width, channels]: flatten them (or pool them globally) and end with a dense layer.' },
  { code: 'loss-data', severity: 'error', title: 'The loss does not fit the number of classes', explanation: 'Binary cross-entropy compares one probability (of class 1) with a 0/1 label, so it only describes two classes. With more classes, the output is a probability distribution over all of them (softmax), and categorical cross-entropy measures how much probability the true class receives.' },
  { code: 'output-units', severity: 'error', title: 'Output units do not match the classes', explanation: 'Each output unit of a classifier is the score of one class: the last layer needs one unit per class for categorical cross-entropy, or a single unit (the probability of class 1) for binary cross-entropy. Any other count makes the predictions and the labels different shapes.' },
  { code: 'loss-activation', severity: 'warning', title: 'The output activation does not fit the loss', explanation: 'The last activation turns scores into what the loss expects. Cross-entropy expects probabilities: sigmoid for one yes/no output, softmax for one class out of several (softmax makes the outputs positive and sum to 1; sigmoid scores each class on its own, so they do not). Softmax with mean squared error trains slowly, because the squared error of a saturated softmax has almost no gradient; cross-entropy cancels that saturation.' },
  { code: 'softmax-one-unit', severity: 'error', title: 'Softmax over a single unit', explanation: 'Softmax divides each exponentiated score by the sum of all of them, so with one unit the output is always exactly 1 and the model learns nothing. For a yes/no output use one unit with sigmoid.' },
  { code: 'regression-activation', severity: 'warning', title: 'An activation on a regression output', explanation: 'The rule of thumb from the course: hidden layers use ReLU, a classifier ends with sigmoid or softmax, and a regressor ends with no activation at all. A squashing or clipping output (sigmoid, tanh, relu) cannot produce targets outside its range, and its gradient vanishes near the edges.' },
  { code: 'metric-task', severity: 'warning', title: 'Accuracy on a regression task', explanation: 'Accuracy counts predictions that hit the right class. A regression target is a real number that a prediction almost never matches exactly, so accuracy says nothing there; watch the loss (mean squared error) instead.' },
], (ctx) => {
  const { spec, summary, dataset: def } = ctx;
  checkDistributionLoss(ctx);
  if (!def && spec.data?.source && spec.train) checkUserDataOutput(ctx);
  if (!def || !spec.data || !spec.train) return;
  const src = spec.source;
  const inputRange = rangeAt(src, ['model', 'input']) ?? spec.model.layers[0]?.range ?? src.range;
  if (size(spec.model.input) !== size(def.shape)) {
    ctx.report('input-shape', inputRange, `'${spec.data.dataset}' examples have shape ${shapeText(def.shape)} (${size(def.shape)} values); model.input ${shapeText(spec.model.input)} holds ${size(spec.model.input)}.`,
      [rangeAt(src, ['model', 'input']) ? { title: `Set model.input to ${shapeText(def.shape)}`, edits: [{ range: inputRange, newText: shapeText(def.shape) }], preferred: true } : undefined]);
  }
  const last = lastLayer(spec);
  if (!last) return;
  const out = summary.outputShape;
  if (out.length !== 1) {
    ctx.report('output-shape', last.range, `The model's output has shape ${shapeText(out)}; a classifier or regressor needs a vector: add flatten and a dense layer at the end.`);
    return;
  }
  checkOutput(ctx, out[0] as number);
  if (spec.train.metrics.includes('accuracy') && def.task === 'regression') {
    ctx.report('metric-task', rangeAt(src, ['train', 'metrics']) ?? rangeAt(src, ['train', 'loss']) ?? src.range, 'accuracy is for classification; this data set is a regression task.');
  }
});

function checkOutput(ctx: RuleContext, units: number): void {
  const { spec, dataset: def } = ctx;
  const last = lastLayer(spec);
  if (!def || !last || !spec.data || !spec.train) return;
  const classes = spec.data.classes || def.classes;
  const unitsRange = last.optionRanges.units ?? last.range;
  const lossRange = rangeAt(spec.source, ['train', 'loss']) ?? spec.source.range;
  const activation = String(last.config.activation ?? 'linear');
  const loss = spec.train.loss;
  const fix = (title: string, edits: ReturnType<typeof setLayerOption>[], preferred = true) =>
    edits.every((e) => e) ? { title, edits: edits.flatMap((e) => e ?? []), preferred } : undefined;
  const setActivation = (a: string) => fix(`Use activation: ${a}`, [setLayerOption(ctx, last, 'activation', a)]);
  const setUnits = (n: number) => fix(`Set units to ${n}`, [setLayerOption(ctx, last, 'units', n)]);

  if (def.task === 'regression' && /crossentropy|kullback/i.test(loss)) {
    // A regression set has no classes (classes is 0): say that, not "'sine' has 0 classes".
    ctx.report('loss-data', lossRange, `'${spec.data.dataset}' is a regression task (a real number to predict); ${loss} compares class probabilities: use meanSquaredError with one linear output unit.`, [
      fix('Use loss meanSquaredError', [setValue(ctx, ['train', 'loss'], 'meanSquaredError')]),
    ]);
    return;
  }
  if (def.task === 'regression' && units !== 1) {
    ctx.report('output-units', unitsRange, `'${spec.data.dataset}' has one target per example: the last layer needs 1 unit; this one has ${units}.`, [setUnits(1)]);
    return;
  }
  if (loss === 'binaryCrossentropy') {
    if (classes !== 2) {
      ctx.report('loss-data', lossRange, `binaryCrossentropy is for two classes; '${spec.data.dataset}' has ${classes}: use categoricalCrossentropy with ${classes} softmax units.`, [
        fix(`Use categoricalCrossentropy with ${classes} softmax units`, [setValue(ctx, ['train', 'loss'], 'categoricalCrossentropy'), setLayerOption(ctx, last, 'units', classes), setLayerOption(ctx, last, 'activation', 'softmax')]),
      ]);
    } else if (units !== 1) ctx.report('output-units', unitsRange, `binaryCrossentropy needs 1 output unit (the probability of class 1); this layer has ${units}.`, [setUnits(1)]);
    else if (activation !== 'sigmoid') ctx.report('loss-activation', last.range, `binaryCrossentropy expects a probability: end with activation: sigmoid (this layer's activation is ${activation}).`, [setActivation('sigmoid')]);
  } else if (loss === 'categoricalCrossentropy') {
    if (units !== classes) ctx.report('output-units', unitsRange, `categoricalCrossentropy needs one output unit per class: '${spec.data.dataset}' has ${classes} classes, this layer has ${units} units.`, [setUnits(classes)]);
    else if (activation === 'sigmoid') ctx.report('loss-activation', last.range, `sigmoid scores each of the ${classes} classes on its own, so the outputs do not sum to 1 as categoricalCrossentropy expects: use activation: softmax.`, [setActivation('softmax')]);
    else if (activation !== 'softmax') ctx.report('loss-activation', last.range, `categoricalCrossentropy expects probabilities that sum to 1: end with activation: softmax (this layer's activation is ${activation}).`, [setActivation('softmax')]);
  } else if (loss === 'meanSquaredError' && def.task !== 'regression') {
    if (units !== classes && !(classes === 2 && units === 1)) {
      ctx.report('output-units', unitsRange, `With meanSquaredError on ${classes} classes the output needs ${classes === 2 ? '1 unit (0/1 target) or 2' : classes} units; this layer has ${units}.`, [setUnits(classes === 2 ? 1 : classes)]);
    } else if (activation === 'softmax') {
      ctx.report('loss-activation', last.range, 'softmax with meanSquaredError learns slowly (its gradients vanish as outputs saturate); for classes use categoricalCrossentropy.', [
        fix('Use loss categoricalCrossentropy', [setValue(ctx, ['train', 'loss'], 'categoricalCrossentropy')]),
      ]);
    }
  } else if (def.task === 'regression' && activation !== 'linear') {
    ctx.report('regression-activation', last.optionRanges.activation ?? last.range, `A regression output should have no activation: ${activation} limits the predictions to its range. Remove it (activation: linear).`, [setActivation('linear')]);
  }
  if (activation === 'softmax' && units === 1) ctx.report('softmax-one-unit', last.range, 'softmax over a single unit always outputs 1; use sigmoid for a binary output.', [setActivation('sigmoid')]);
}


/**
 * KL divergence compares two probability distributions, so the output must be one: softmax. This
 * needs nothing from the data, so it holds for every data source, CSV files included.
 */
function checkDistributionLoss(ctx: RuleContext): void {
  const { spec } = ctx;
  const last = lastLayer(spec);
  if (!last || spec.train?.loss !== 'kullbackLeiblerDivergence') return;
  const activation = outputActivation(last);
  if (activation === 'softmax') return;
  const edit = setLayerOption(ctx, last, 'activation', 'softmax');
  ctx.report('loss-activation', last.range, `kullbackLeiblerDivergence compares probability distributions: end with activation: softmax (this layer's activation is ${activation}, so its outputs are not a distribution and the loss cannot guide them).`,
    [edit ? { title: 'Use activation: softmax', edits: edit, preferred: true } : undefined]);
}

/**
 * Your own data (CSV, IDX, image folders): the classes and the targets are only known once the files
 * are read, but whether the output activation fits a cross-entropy loss is not: it needs a
 * probability. (Whether it can reach a CSV's regression targets is checked against the file's
 * values, engine/data/targetRange.ts.)
 */
function checkUserDataOutput(ctx: RuleContext): void {
  const { spec } = ctx;
  const last = lastLayer(spec);
  if (!last || !spec.train || !spec.data?.source) return;
  const activation = outputActivation(last);
  const loss = spec.train.loss;
  const setActivation = (a: string) => {
    const edit = setLayerOption(ctx, last, 'activation', a);
    return edit ? { title: `Use activation: ${a}`, edits: edit, preferred: true } : undefined;
  };
  if (loss === 'binaryCrossentropy' && activation !== 'sigmoid') {
    ctx.report('loss-activation', last.range, `binaryCrossentropy expects a probability: end with activation: sigmoid (this layer's activation is ${activation}).`, [setActivation('sigmoid')]);
  } else if (loss === 'categoricalCrossentropy' && activation !== 'softmax') {
    ctx.report('loss-activation', last.range, `categoricalCrossentropy expects probabilities that sum to 1: end with activation: softmax (this layer's activation is ${activation}).`, [setActivation('softmax')]);
  }
}
