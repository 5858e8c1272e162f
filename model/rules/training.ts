// Training settings that cannot work well whatever the model: a learning rate far outside what the
// optimizer is made for, a batch larger than the data.
import { rangeAt } from '../language/source';
import { DEFAULT_LEARNING_RATE } from '../language/vocabulary';
import { setValue } from './edits';
import { ruleFamily } from './rule';

/** Learning rates that train in practice, by optimizer; outside them training diverges or stalls. */
const SANE_LR: Record<string, [number, number]> = {
  sgd: [1e-4, 1], momentum: [1e-4, 1],
  adam: [1e-5, 0.1], adamax: [1e-5, 0.1], rmsprop: [1e-5, 0.1], adagrad: [1e-4, 1], adadelta: [1e-4, 10],
};

export const training = ruleFamily([
  { code: 'learning-rate', severity: 'warning', title: 'Learning rate outside the usual range', explanation: 'Each step moves the weights by the learning rate times the gradient. Too large, and the steps overshoot the minimum so the loss jumps around or grows to NaN; too small, and the loss barely moves in the epochs you have. Adaptive optimizers such as Adam divide by the gradient\'s running size, so their useful rates (around 0.001) are much smaller than plain SGD\'s (around 0.01 to 0.1).' },
  { code: 'batch-size', severity: 'info', title: 'Batch size larger than the data', explanation: 'A mini-batch is a random sample of the training set used for one gradient step. With a batch size larger than the training set every step uses all of it: there is one step per epoch and none of the noise that helps stochastic gradient descent escape poor regions, so training is slow and may generalise worse.' },
], (ctx) => {
  const { spec } = ctx;
  if (!spec.train) return;
  const src = spec.source;
  const opt = spec.train.optimizer;
  const lr = spec.train.learningRate;
  const sane = SANE_LR[opt.name] ?? [1e-5, 1];
  if (lr < sane[0] || lr > sane[1]) {
    const inner = opt.options.learningRate !== undefined;
    const path = inner ? ['train', 'optimizer', opt.name, 'learningRate'] : ['train', 'learningRate'];
    const fallback = (DEFAULT_LEARNING_RATE as Record<string, number>)[opt.name] ?? 0.01;
    const edits = setValue(ctx, path, fallback);
    ctx.report('learning-rate', rangeAt(src, path) ?? rangeAt(src, ['train']) ?? src.range,
      `learningRate ${lr} is ${lr > sane[1] ? 'large' : 'small'} for ${opt.name} (it usually trains between ${sane[0]} and ${sane[1]}): ${lr > sane[1] ? 'the loss is likely to jump around or become NaN' : 'the loss will hardly move'}.`,
      [edits && { title: `Use ${opt.name}'s default learning rate ${fallback}`, edits, preferred: true }]);
  }
  if (!ctx.dataset || !spec.data) return;
  const trainSize = Math.floor(spec.data.samples * (1 - spec.data.validationSplit));
  if (spec.train.batchSize > trainSize && trainSize > 0) {
    const edits = setValue(ctx, ['train', 'batchSize'], Math.min(32, trainSize));
    ctx.report('batch-size', rangeAt(src, ['train', 'batchSize']) ?? src.range, `batchSize ${spec.train.batchSize} is larger than the ${trainSize} training examples: every step uses the full set.`,
      [edits && { title: `Use batchSize ${Math.min(32, trainSize)}`, edits, preferred: true }]);
  }
});
