// tfjs's Dense layer through one op of Model Lab's (engine/train/kernels/denseOp.ts): the matmul,
// the bias and a linear or ReLU activation in one kernel with one gradient while training, where
// tfjs's own layer runs three ops (it fuses them only outside a gradient tape). Other activations
// (softmax...) apply after the fused matmul and bias, as tfjs does; inputs of rank 3 and up, other
// dtypes, and backends without the op's kernels run tfjs's own call.
import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { tidy } from '@tensorflow/tfjs-core';
import type { Dense as DenseClass } from '@tensorflow/tfjs-layers/dist/layers/core';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types';
import { dense, denseOpAvailable } from '../kernels/denseOp';
import { inputOf } from './singleInput';

// The class from an instance, not a deep import: Node loads tfjs-layers as one bundle, and a deep
// import would load a second copy whose layers the first copy's models do not recognise.
const Dense = Object.getPrototypeOf(tfl.layers.dense({ units: 1 })).constructor as typeof DenseClass;

/** What tfjs declares private on Dense and this call reads. */
interface Own {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
  activation: { getClassName(): string; apply(x: tf.Tensor): tf.Tensor } | null;
  invokeCallHook(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): void;
}

export class FastDense extends Dense {
  /** Saved and loaded as tfjs's (and Keras's) Dense: the same weights and config. */
  static override className = 'Dense';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const own = this as unknown as Own;
    const x = inputOf(inputs);
    const name = own.activation?.getClassName() ?? 'linear';
    const fused = name === 'relu' || name === 'linear' ? name : 'linear';
    if (!denseOpAvailable(x, fused)) return super.call(inputs, kwargs);
    return tidy(() => {
      own.invokeCallHook(inputs, kwargs);
      const y = dense(x, own.kernel.read(), own.bias?.read() ?? null, fused);
      return fused === name || !own.activation ? y : own.activation.apply(y);
    });
  }
}
