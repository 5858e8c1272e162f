// The course's gradient-descent example, the playground's default: global minimum 0 at (1, 1), start
// at (0, 0), 20 steps, learning rates 0.01, 0.3 and 0.6. The slides name only the minimum, the start,
// the steps and the rates; the function here is the simplest with that minimum on which the three
// rates do what the slides show: 0.01 is far too slow, 0.3 converges, 0.6 overshoots further each
// step and diverges (along y the step multiplies the distance to 1 by 1 - 4 lr = -1.4).
import type { PlaygroundConfig } from '../../protocol/playground';

export const SEED_FORMULA = '(x - 1)^2 + 2*(y - 1)^2';

export const SEED_CONFIG: PlaygroundConfig = {
  name: 'Gradient descent (course example)',
  surface: SEED_FORMULA,
  view: { x: [-0.5, 2], y: [-0.5, 2.5] },
  start: [0, 0],
  steps: 20,
  paths: [
    { optimizer: 'sgd', learningRate: 0.01 },
    { optimizer: 'sgd', learningRate: 0.3 },
    { optimizer: 'sgd', learningRate: 0.6 },
  ],
};
