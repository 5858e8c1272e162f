// Keras' categorical cross-entropy on probability outputs (each row normalised to sum 1, clipped to
// [1e-7, 1 - 1e-7], then -mean(sum(y log q))) as one op with its own gradient. Written with tfjs
// ops it is 8 kernels forward and 40 backward (the normalisation's and the clip's gradients through
// broadcasts and masks) for a [batch, classes] tensor of a few hundred numbers: ~3 us of
// bookkeeping per kernel, 0.3-0.5 ms a step, 10-20% of an MLP step on wasm. Here the predictions
// are read once (tiny, and already computed on a synchronous backend), the loss and its gradient
// are one pass in JS, and the gradient goes back as one tensor.
import * as tf from '@tensorflow/tfjs-core';

const EPS = 1e-7;
const HIGH = 1 - EPS;

/**
 * The loss (float64 sums, rounded to float32 once) and its exact gradient with respect to p:
 * with s = sum_j p_ij, u = p / s, q = clip(u) and m = 1 where the clip let u through (inclusive,
 * as tfjs's clipByValue gradient), a = y m / q, dL/dp_ik = -(a_ik - sum_j a_ij u_ij) / (N s_i).
 */
export function crossEntropyAndGradient(y: ArrayLike<number>, p: ArrayLike<number>, rows: number, classes: number): { loss: number; grad: Float32Array } {
  const grad = new Float32Array(rows * classes);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const o = i * classes;
    let s = 0;
    for (let j = 0; j < classes; j++) s += p[o + j] as number;
    let dot = 0;
    for (let j = 0; j < classes; j++) {
      const u = (p[o + j] as number) / s;
      const q = Math.min(Math.max(u, EPS), HIGH);
      const yj = y[o + j] as number;
      total += yj * Math.log(q);
      // u outside [EPS, HIGH] (or NaN) is clipped: no gradient through it, as tfjs's clip.
      const a = u >= EPS && u <= HIGH ? yj / q : 0;
      grad[o + j] = a;
      dot += a * u;
    }
    const scale = -1 / (rows * s);
    for (let j = 0; j < classes; j++) grad[o + j] = ((grad[o + j] as number) - dot) * scale;
  }
  return { loss: Math.fround(-total / rows), grad };
}

/** The loss as a tfjs op: the value a scalar, the gradient w.r.t. p one precomputed tensor (none for y, the targets). */
export function categoricalCrossentropy(y: tf.Tensor, p: tf.Tensor): tf.Scalar {
  const classes = p.shape[p.shape.length - 1] as number;
  const rows = p.size / classes;
  const yData = y.dataSync();
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [pIn, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const { loss, grad } = crossEntropyAndGradient(yData, pIn.dataSync(), rows, classes);
    const gradT = tf.tensor(grad, pIn.shape, 'float32');
    save([gradT]);
    return { value: tf.scalar(loss), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, saved[0] as tf.Tensor) };
  });
  return op(p);
}
