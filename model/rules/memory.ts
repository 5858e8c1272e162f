// A model that cannot fit in memory is refused before anything is allocated: tfjs would first
// fill a 14 GB array with random initial weights (taking the machine's memory with it) and only
// then fail with "Invalid typed array length". Training needs each weight about four times
// (the weight, its gradient, two optimizer slots for Adam), and the wasm backend addresses 4 GB.
import { ruleFamily } from './rule';

const BYTES_PER_PARAM_TRAINING = 16;
export const TRAINING_MEMORY_LIMIT = 4 * 2 ** 30;

const gb = (bytes: number): string => `${(bytes / 2 ** 30).toFixed(1)} GB`;

export const memory = ruleFamily([
  { code: 'model-too-big', severity: 'error', title: 'Model too big to train in memory', explanation: 'Every parameter is a 4-byte number, and training keeps several copies of each: the weight, its gradient, and for optimizers like Adam two running averages. A dense layer between two wide layers holds their product in weights, so widths multiply fast: 60,000 by 60,000 units is 3.6 billion parameters, 58 GB to train. The wasm backend Model Lab trains on can address 4 GB. Use fewer units or filters, or put a pooling layer before the dense layer.' },
], (ctx) => {
  // Architecture files (model only, e.g. VGG-16 at 224x224) are for counting, not training.
  if (!ctx.spec.train) return;
  const bytes = ctx.summary.totalParams * BYTES_PER_PARAM_TRAINING;
  if (bytes <= TRAINING_MEMORY_LIMIT) return;
  const biggest = [...ctx.summary.layers].sort((a, b) => b.params - a.params)[0];
  if (!biggest) return;
  ctx.report('model-too-big', biggest.range,
    `The model has ${ctx.summary.totalParams.toLocaleString('en-US')} parameters: training needs about ${gb(bytes)}, more than the ${gb(TRAINING_MEMORY_LIMIT)} the training backend can use. This layer holds ${biggest.params.toLocaleString('en-US')} of them; use fewer units or filters.`);
});
