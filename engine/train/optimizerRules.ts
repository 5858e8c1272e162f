// The optimizers a model file can name, as plain data (a rule), and tfjs's own optimizer for each:
// the reference arithmetic the fused steps (fusedOptimizer.ts) must reproduce. tfjs has no AdamW,
// so AdamW below is Adam plus decoupled weight decay (Loshchilov & Hutter 2019) written in tfjs ops.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';
import { CenteredRMSPropOptimizer } from './centeredRmsprop';

export type OptimizerRule =
  | { kind: 'sgd'; learningRate: number }
  | { kind: 'momentum'; learningRate: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number }
  | { kind: 'adamw'; learningRate: number; beta1: number; beta2: number; epsilon: number; weightDecay: number }
  | { kind: 'rmsprop'; learningRate: number; decay: number; momentum: number; epsilon: number; centered: boolean }
  | { kind: 'adagrad'; learningRate: number; initialAccumulatorValue: number }
  | { kind: 'adadelta'; learningRate: number; rho: number; epsilon: number }
  | { kind: 'adamax'; learningRate: number; beta1: number; beta2: number; epsilon: number; decay: number };

/** The rules the fused optimizer implements (adadelta and adamax always run as tfjs's ops). */
export type FusableRule = Extract<OptimizerRule, { kind: 'sgd' | 'momentum' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad' }>;

export const isFusable = (rule: OptimizerRule): rule is FusableRule => rule.kind !== 'adadelta' && rule.kind !== 'adamax';

/** tfjs's own optimizer for a rule. */
export function tfjsOptimizerFor(rule: OptimizerRule): tf.Optimizer {
  switch (rule.kind) {
    case 'sgd': return tf.train.sgd(rule.learningRate);
    case 'momentum': return new MomentumOptimizer(rule.learningRate, rule.momentum, rule.nesterov);
    case 'adam': return tf.train.adam(rule.learningRate, rule.beta1, rule.beta2, rule.epsilon);
    case 'adamw': return new AdamWOptimizer(rule.learningRate, rule.beta1, rule.beta2, rule.epsilon, rule.weightDecay);
    case 'rmsprop':
      // tfjs's centered RMSProp takes the root of ms - mg² - eps: NaN for small first gradients.
      return rule.centered ? new CenteredRMSPropOptimizer(rule.learningRate, rule.decay, rule.momentum, rule.epsilon)
        : tf.train.rmsprop(rule.learningRate, rule.decay, rule.momentum, rule.epsilon, false);
    case 'adagrad': return tf.train.adagrad(rule.learningRate, rule.initialAccumulatorValue);
    case 'adadelta': return tf.train.adadelta(rule.learningRate, rule.rho, rule.epsilon);
    case 'adamax': return tf.train.adamax(rule.learningRate, rule.beta1, rule.beta2, rule.epsilon, rule.decay);
  }
}

/** tfjs's momentum optimizer, whose dispose() also releases the -lr scalar it keeps (tfjs 4.22 forgets it: one tensor a run). */
class MomentumOptimizer extends tf.MomentumOptimizer {
  override dispose(): void {
    super.dispose();
    this.c.dispose();
  }
}

/** Adam with decoupled weight decay: w <- w - lr*wd*w, then Adam's step on the decayed w with the
 *  gradient taken at the old w. The decay follows the learning rate, so schedules scale both. */
export class AdamWOptimizer extends tf.AdamOptimizer {
  static override className = 'ModelLabAdamW';

  constructor(learningRate: number, beta1: number, beta2: number, epsilon: number, private readonly weightDecay: number) {
    super(learningRate, beta1, beta2, epsilon);
  }

  override applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const rate = this.learningRate * this.weightDecay;
    tf.tidy(() => {
      for (const { name, tensor } of list) {
        const value = tf.engine().registeredVariables[name];
        if (!value || !tensor) continue;
        value.assign(tf.sub(value, tf.mul(value, rate)));
      }
    });
    super.applyGradients(variableGradients as Parameters<tf.AdamOptimizer['applyGradients']>[0]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), weightDecay: this.weightDecay };
  }
}

/** Sets the learning rate the next step uses, for our optimizers and every tfjs one. */
export function setOptimizerLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  // SGD and momentum keep -lr as a kept scalar, which setLearningRate replaces; the others read the field each step.
  if (typeof o.setLearningRate === 'function') o.setLearningRate(learningRate);
  else if (typeof o.learningRate === 'number') o.learningRate = learningRate;
  else throw new Error(`Cannot set the learning rate of ${optimizer.getClassName()}.`);
}
