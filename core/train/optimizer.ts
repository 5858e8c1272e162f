// train.optimizer -> a tfjs optimizer with the same arithmetic as tfjs' own (Keras defaults).
import * as tf from '@tensorflow/tfjs-core';
import type { TrainSpec } from '../spec/model';

export function makeOptimizer(train: TrainSpec): tf.Optimizer {
  const o = train.optimizer.options;
  const lr = train.learningRate;
  switch (train.optimizer.name) {
    case 'sgd': {
      const momentum = typeof o.momentum === 'number' ? o.momentum : 0;
      return momentum > 0 || o.nesterov === true ? tf.train.momentum(lr, momentum, o.nesterov === true) : tf.train.sgd(lr);
    }
    case 'adam':
      return tf.train.adam(lr, num(o.beta1, 0.9), num(o.beta2, 0.999), num(o.epsilon, 1e-7));
  }
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
