// train.optimizer -> an optimizer with tfjs's arithmetic (Keras defaults). On the wasm backend the
// fused version (one loop per variable) replaces tfjs's ~15 ops per variable per step.
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainSpec } from '../spec/model';
import { FusedOptimizer, tfjsOptimizerFor, type FusedRule } from './fusedOptimizer';

export function optimizerRule(train: TrainSpec): FusedRule {
  const o = train.optimizer.options;
  const learningRate = train.learningRate;
  switch (train.optimizer.name) {
    case 'sgd': {
      const momentum = num(o.momentum, 0);
      return momentum > 0 || o.nesterov === true ? { kind: 'momentum', learningRate, momentum, nesterov: o.nesterov === true } : { kind: 'sgd', learningRate };
    }
    case 'adam':
      return { kind: 'adam', learningRate, beta1: num(o.beta1, 0.9), beta2: num(o.beta2, 0.999), epsilon: num(o.epsilon, 1e-7) };
  }
}


export function makeOptimizer(train: TrainSpec, backend: 'wasm' | 'cpu'): tf.Optimizer {
  const rule = optimizerRule(train);
  const stock = process.env.MODEL_LAB_STOCK_KERNELS === '1';
  return backend === 'wasm' && !stock ? new FusedOptimizer(rule) : tfjsOptimizerFor(rule);
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
