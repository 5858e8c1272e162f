// Gradient clipping with Keras' meaning: clipValue clamps every gradient element to
// [-clipValue, clipValue]; clipNorm rescales each variable's gradient on its own so its L2 norm is
// at most clipNorm (Keras' `clipnorm`, not the global norm). It wraps any optimizer, fused or tfjs's.
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';
import { setOptimizerLearningRate } from './optimizerRules';

export interface ClipRule {
  clipNorm?: number;
  clipValue?: number;
}

export class ClippingOptimizer extends tf.Optimizer {
  static className = 'ModelLabClipping';

  constructor(readonly inner: tf.Optimizer, private readonly clip: ClipRule) {
    super();
  }

  setLearningRate(learningRate: number): void {
    setOptimizerLearningRate(this.inner, learningRate);
  }

  applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const list = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const clipped = list.map(({ name, tensor }) => ({ name, tensor: clipGradient(tensor, this.clip) }));
    try {
      this.inner.applyGradients(clipped);
    } finally {
      tf.dispose(clipped.map((c) => c.tensor));
    }
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.inner.getConfig(), ...this.clip };
  }

  override dispose(): void {
    this.inner.dispose();
  }
}

/** A new tensor: the gradient clipped by value, then by norm (both when both are set, as Keras does). */
export function clipGradient(g: tf.Tensor, clip: ClipRule): tf.Tensor {
  return tf.tidy(() => {
    let out = clip.clipValue !== undefined ? tf.clipByValue(g, -clip.clipValue, clip.clipValue) : tf.clone(g);
    if (clip.clipNorm !== undefined) {
      const norm = tf.sqrt(tf.sum(tf.square(out)));
      // g * clipNorm / max(norm, clipNorm): unchanged when the norm is already small enough.
      out = tf.div(tf.mul(out, clip.clipNorm), tf.maximum(norm, clip.clipNorm));
    }
    return out;
  });
}
