// Layer normalization with broadcasting instead of tiling. tfjs-layers 4.22 tiles the mean, the
// variance, gamma and beta to the input's full shape before calling batchNormalization (its
// gradients did not broadcast), and the gradient of a tile is one slice and one add per repeat: on a
// [32, 8, 8, 16] conv output that is thousands of small ops a step, 30x slower than batch
// normalization on the same net. The same arithmetic with broadcasting ops has cheap gradients.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerNormalization as LayerNormalizationClass } from '@tensorflow/tfjs-layers/dist/layers/normalization';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { inputOf } from './singleInput';

// The class from an instance, not a deep import: Node loads tfjs-layers as one bundle, and a deep
// import would load a second copy whose layers the first copy's models do not recognise.
const LayerNormalization = Object.getPrototypeOf(tfl.layers.layerNormalization({})).constructor as typeof LayerNormalizationClass;

interface Own {
  axis: number[];
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: { read(): tf.Tensor } | null;
  beta: { read(): tf.Tensor } | null;
}

export class FastLayerNormalization extends LayerNormalization {
  /** Saved and loaded as tfjs's (and Keras's) LayerNormalization: the same weights and config. */
  static override className = 'LayerNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    const x = inputOf(inputs);
    // tfjs declares these private; build() has resolved axis to non-negative indices.
    const own = this as unknown as Own;
    return tf.tidy(() => {
      const rank = x.shape.length;
      const { mean, variance } = tf.moments(x, own.axis, true);
      let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, own.epsilon)));
      const shape = x.shape.map((d, i) => (own.axis.includes(i) ? d : 1));
      const broadcast = (v: tf.Tensor): tf.Tensor => (v.shape.length === rank ? v : tf.reshape(v, shape));
      if (own.scale && own.gamma) y = tf.mul(y, broadcast(own.gamma.read()));
      if (own.center && own.beta) y = tf.add(y, broadcast(own.beta.read()));
      return y;
    });
  }
}
