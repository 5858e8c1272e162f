// train.optimizer -> an optimizer with tfjs's arithmetic (Keras defaults). On the wasm backend the
// fused version (one loop per variable) replaces tfjs's ~15 ops per variable per step; gradient
// clipping (clipNorm / clipValue) wraps either.
import type * as tf from '@tensorflow/tfjs-core';
import type { TrainSpec } from '../../model/language/model';
import { ClippingOptimizer } from './clipping';
import { FusedOptimizer } from './fusedOptimizer';
import { isFusable, tfjsOptimizerFor, type OptimizerRule } from './optimizerRules';

/** tfjs's default epsilon (the backend's float32 epsilon), written out so fused and tfjs steps agree. */
const EPSILON = 1e-7;

export function optimizerRule(train: TrainSpec): OptimizerRule {
  const o = train.optimizer.options;
  const learningRate = train.learningRate;
  const epsilon = num(o.epsilon, EPSILON);
  switch (train.optimizer.name) {
    case 'sgd': {
      const momentum = num(o.momentum, 0);
      return momentum > 0 || o.nesterov === true ? { kind: 'momentum', learningRate, momentum, nesterov: o.nesterov === true } : { kind: 'sgd', learningRate };
    }
    case 'adam':
      return { kind: 'adam', learningRate, beta1: num(o.beta1, 0.9), beta2: num(o.beta2, 0.999), epsilon };
    case 'adamw':
      return { kind: 'adamw', learningRate, beta1: num(o.beta1, 0.9), beta2: num(o.beta2, 0.999), epsilon, weightDecay: num(o.weightDecay, 0.004) };
    case 'adamax':
      return { kind: 'adamax', learningRate, beta1: num(o.beta1, 0.9), beta2: num(o.beta2, 0.999), epsilon, decay: num(o.decay, 0) };
    case 'rmsprop':
      return { kind: 'rmsprop', learningRate, decay: num(o.decay, 0.9), momentum: num(o.momentum, 0), epsilon, centered: o.centered === true };
    case 'adagrad':
      return { kind: 'adagrad', learningRate, initialAccumulatorValue: num(o.initialAccumulatorValue, 0.1) };
    case 'adadelta':
      return { kind: 'adadelta', learningRate, rho: num(o.rho, 0.95), epsilon };
  }
}

export function makeOptimizer(train: TrainSpec, backend: 'wasm' | 'cpu'): tf.Optimizer {
  const rule = optimizerRule(train);
  const stock = process.env.MODEL_LAB_STOCK_KERNELS === '1';
  const base = backend === 'wasm' && !stock && isFusable(rule) ? new FusedOptimizer(rule) : tfjsOptimizerFor(rule);
  const o = train.optimizer.options;
  const clip = { ...(typeof o.clipNorm === 'number' ? { clipNorm: o.clipNorm } : {}), ...(typeof o.clipValue === 'number' ? { clipValue: o.clipValue } : {}) };
  return Object.keys(clip).length > 0 ? new ClippingOptimizer(base, clip) : base;
}

const num = (v: unknown, fallback: number): number => (typeof v === 'number' ? v : fallback);
