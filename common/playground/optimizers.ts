// The six optimizers of the playground for a point of two parameters, in plain numbers. The update
// formulas and defaults are tfjs's (tf.train.*; the same as Keras's), so a path here is what the
// same optimizer would do to two weights in a real model.
import type { OptimizerKind, PathSpec } from '../../protocol/playground';

/** tfjs's ENGINE.backend.epsilon() on float32 backends (cpu, wasm). */
export const TFJS_EPSILON = 1e-7;

export const OPTIMIZER_LABELS: Record<OptimizerKind, string> = {
  sgd: 'SGD',
  momentum: 'Momentum',
  nesterov: 'Nesterov',
  adagrad: 'Adagrad',
  rmsprop: 'RMSprop',
  adam: 'Adam',
};

/** The settings a path actually uses: its own, else the tfjs defaults. */
export function resolvedSettings(p: PathSpec): Required<PathSpec> {
  return {
    optimizer: p.optimizer,
    learningRate: p.learningRate,
    // tf.train.momentum has no default; 0.9 is the value every course and Keras example uses.
    momentum: p.momentum ?? (p.optimizer === 'rmsprop' ? 0 : 0.9),
    decay: p.decay ?? 0.9,
    beta1: p.beta1 ?? 0.9,
    beta2: p.beta2 ?? 0.999,
    epsilon: p.epsilon ?? TFJS_EPSILON,
    initialAccumulatorValue: p.initialAccumulatorValue ?? 0.1,
  };
}

export type Vec2 = [number, number];

/** One optimizer's state: step(w, g) returns the next point. */
export interface Stepper {
  step(w: Vec2, g: Vec2): Vec2;
}

export function makeStepper(spec: PathSpec): Stepper {
  const s = resolvedSettings(spec);
  const lr = s.learningRate;
  const each = (f: (w: number, g: number, i: 0 | 1) => number) => (w: Vec2, g: Vec2): Vec2 => [f(w[0], g[0], 0), f(w[1], g[1], 1)];
  switch (s.optimizer) {
    case 'sgd':
      return { step: each((w, g) => w - lr * g) };
    case 'momentum':
    case 'nesterov': {
      // tf.train.momentum: a = m a + g; w -= lr a, or with Nesterov w -= lr (g + m a).
      const acc: Vec2 = [0, 0];
      const nesterov = s.optimizer === 'nesterov';
      return {
        step: each((w, g, i) => {
          acc[i] = s.momentum * acc[i] + g;
          return w - lr * (nesterov ? g + s.momentum * acc[i] : acc[i]);
        }),
      };
    }
    case 'adagrad': {
      // tf.train.adagrad: a += g^2 (starting at initialAccumulatorValue); w -= lr g / sqrt(a + eps).
      const acc: Vec2 = [s.initialAccumulatorValue, s.initialAccumulatorValue];
      return {
        step: each((w, g, i) => {
          acc[i] += g * g;
          return w - (lr * g) / Math.sqrt(acc[i] + s.epsilon);
        }),
      };
    }
    case 'rmsprop': {
      // tf.train.rmsprop (not centered): ms = d ms + (1-d) g^2; mom = m mom + lr g / sqrt(ms + eps); w -= mom.
      const ms: Vec2 = [0, 0];
      const mom: Vec2 = [0, 0];
      return {
        step: each((w, g, i) => {
          ms[i] = s.decay * ms[i] + (1 - s.decay) * g * g;
          mom[i] = s.momentum * mom[i] + (lr * g) / Math.sqrt(ms[i] + s.epsilon);
          return w - mom[i];
        }),
      };
    }
    case 'adam': {
      // tf.train.adam: bias-corrected first and second moments; w -= lr m^ / (sqrt(v^) + eps).
      const m: Vec2 = [0, 0];
      const v: Vec2 = [0, 0];
      let t = 0;
      return {
        step: (w, g) => {
          t++;
          const c1 = 1 - Math.pow(s.beta1, t);
          const c2 = 1 - Math.pow(s.beta2, t);
          const next = (i: 0 | 1): number => {
            m[i] = s.beta1 * m[i] + (1 - s.beta1) * g[i];
            v[i] = s.beta2 * v[i] + (1 - s.beta2) * g[i] * g[i];
            return w[i] - (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + s.epsilon);
          };
          return [next(0), next(1)];
        },
      };
    }
  }
}
