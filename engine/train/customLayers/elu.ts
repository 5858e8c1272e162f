// ELU with any alpha: x for x > 0, alpha·(exp(x) - 1) otherwise. tfjs-layers 4.22's ELU layer
// refuses every alpha but 1 when it is built, though the model file (and Keras) take one. Computed
// as relu(x) + alpha·(elu(x) - relu(x)) from tfjs's own ELU: exactly x above zero, every term finite
// for any x (an exp(x) term would overflow for large x and make the gradient NaN), and the slope is
// alpha·exp(x) below zero and alpha at 0, as in Keras (where(x > 0, elu, alpha·elu)) and PyTorch. A
// comparison cannot be used: tfjs has no gradient for Greater. Saved under tfjs's class name 'ELU'
// with its `alpha`, the Keras layout; registering it here lets the lab load such a model back
// (tfjs's own loader would refuse it).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { inputOf, type BaseLayerArgs } from './singleInput';

export interface EluArgs extends BaseLayerArgs {
  alpha?: number;
}

export class Elu extends tfl.layers.Layer {
  static className = 'ELU';
  readonly alpha: number;

  constructor(args: EluArgs) {
    super(args);
    this.alpha = args.alpha ?? 1;
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = inputOf(inputs);
      const e = tf.elu(x);
      if (this.alpha === 1) return e;
      const r = tf.relu(x);
      return tf.add(r, tf.mul(tf.sub(e, r), this.alpha));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), alpha: this.alpha };
  }
}
tf.serialization.registerClass(Elu);
