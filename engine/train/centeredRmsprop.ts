// Centered RMSProp in tfjs ops with Keras's denominator sqrt(ms - mg² + eps). tfjs 4.22's own
// (tf.train.rmsprop(..., centered = true)) computes sqrt(ms - (mg² + eps)): on the first step
// ms - mg² = (1-decay)·decay·g², below epsilon for any |g| under ~1e-3 (decay 0.9, eps 1e-7), so the
// root of a negative number turns the weight into NaN. A layer whose gradient starts at zero (a
// bias behind a dead ReLU) is enough. The op order otherwise follows tfjs's optimizer, so the
// plain rule and the fused loop (fusedSteps.ts's rmspropStep) stay in step with it.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';

interface Slots {
  meanSquare: tf.Variable;
  moment: tf.Variable;
  meanGrad: tf.Variable;
}

export class CenteredRMSPropOptimizer extends tf.Optimizer {
  static className = 'ModelLabCenteredRMSProp';
  private readonly slots = new Map<string, Slots>();

  constructor(public learningRate: number, private readonly decay: number, private readonly momentum: number, private readonly epsilon: number) {
    super();
  }

  applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    for (const { name, tensor: gradient } of list) {
      const value = tf.engine().registeredVariables[name];
      if (!value || !gradient) continue;
      const s = this.slotsFor(name, value);
      tf.tidy(() => {
        const ms = tf.add(tf.mul(s.meanSquare, this.decay), tf.mul(tf.square(gradient), 1 - this.decay));
        const mg = tf.add(tf.mul(s.meanGrad, this.decay), tf.mul(gradient, 1 - this.decay));
        const denom = tf.sqrt(tf.add(tf.sub(ms, tf.square(mg)), this.epsilon));
        const moment = tf.add(tf.mul(s.moment, this.momentum), tf.div(tf.mul(gradient, this.learningRate), denom));
        s.meanSquare.assign(ms);
        s.meanGrad.assign(mg);
        s.moment.assign(moment);
        value.assign(tf.sub(value, moment));
      });
    }
    this.incrementIterations();
  }

  private slotsFor(name: string, value: tf.Variable): Slots {
    let s = this.slots.get(name);
    if (!s) {
      const zeros = (): tf.Variable => tf.tidy(() => tf.zerosLike(value).variable(false));
      s = { meanSquare: zeros(), moment: zeros(), meanGrad: zeros() };
      this.slots.set(name, s);
    }
    return s;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, decay: this.decay, momentum: this.momentum, epsilon: this.epsilon, centered: true };
  }

  override dispose(): void {
    for (const s of this.slots.values()) tf.dispose([s.meanSquare, s.moment, s.meanGrad]);
    this.slots.clear();
  }
}
