// What the loop does on the device for one batch or one validation pass: an optimizer step (with
// an optional look at its gradients), the chunked validation pass, and the two-example probe step
// that finds a kernel the wasm backend lacks before a run is shown.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { penaltyValue, withPenalty } from './regularization';
import { correctCount, correctCountOf, type lossFn } from './losses';
import type { BatchAssembler, TensorPair } from './tensors';

export type LossFn = ReturnType<typeof lossFn>;

/** Validation examples per forward pass: bounds the memory one pass takes. */
const VAL_CHUNK = 1024;

/** The name of the kernel a step needs and the current backend lacks, if that is why it throws. */
export function missingKernel(step: () => void): string | undefined {
  try {
    step();
    return undefined;
  } catch (e) {
    const m = /Kernel '(\w+)' not registered for backend '(\w+)'/.exec((e as Error).message ?? '');
    if (m) return m[1];
    throw e;
  }
}

/** One gradient on the first two examples, without applying it. */
export function probeStep(model: tfl.LayersModel, loss: LossFn, batches: BatchAssembler, n: number): void {
  tf.tidy(() => {
    const { x, y } = batches.batch(Int32Array.from({ length: Math.min(2, n) }, (_, i) => i));
    const { value, grads } = tf.variableGrads(() => loss(y, model.apply(x, { training: true }) as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);
  });
}

/** One optimizer step on the examples idx; its loss (with the weight penalties) and, if wanted, its accuracy. */
export function trainStep(
  model: tfl.LayersModel, optimizer: tf.Optimizer, loss: LossFn,
  batches: BatchAssembler, idx: Int32Array, wantAcc: boolean, tapGradients?: (grads: tf.NamedTensorMap) => void,
): [number, number | undefined] {
  let correct: number | undefined;
  const cost = tf.tidy(() => {
    const { x: xb, y: yb, yData } = batches.batch(idx);
    const objective = (): tf.Scalar => {
      const p = model.apply(xb, { training: true }) as tf.Tensor;
      // Counted in JS on the batch's targets, still in JS, and the predictions read back (a few
      // hundred numbers): no kernels, and the step reads back nothing else but its loss.
      if (wantAcc) correct = correctCountOf(yData, p.dataSync(), idx.length, p.shape[p.shape.length - 1] as number);
      return withPenalty(model, loss(yb, p)); // reported with the weight penalties, as Keras does
    };
    if (!tapGradients) return optimizer.minimize(objective, true) as tf.Scalar;
    // minimize() in its two halves, with a hook's look at the gradients in between.
    const { value, grads } = optimizer.computeGradients(objective);
    tapGradients(grads);
    optimizer.applyGradients(grads);
    return value;
  });
  const lossValue = cost.dataSync()[0] as number;
  cost.dispose();
  return [lossValue, correct !== undefined ? correct / idx.length : undefined];
}

/** The validation pass in inference mode; tap sees each chunk's targets and predictions. */
export function evaluate(
  model: tfl.LayersModel, loss: LossFn, data: TensorPair, wantAcc: boolean, tap?: (y: tf.Tensor, p: tf.Tensor) => void,
  perExample?: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor1D,
): { loss: number; accuracy: number; exampleLosses?: Float32Array } {
  let lossSum = 0;
  let accSum = 0;
  const exampleLosses = perExample ? new Float32Array(data.n) : undefined;
  for (let start = 0; start < data.n; start += VAL_CHUNK) {
    const size = Math.min(VAL_CHUNK, data.n - start);
    const [l, a, per] = tf.tidy(() => {
      const xb = tf.slice(data.x, start, size);
      const yb = tf.slice(data.y, start, size);
      const p = model.apply(xb, { training: false }) as tf.Tensor;
      tap?.(yb, p);
      return [loss(yb, p), wantAcc ? correctCount(yb, p) : tf.scalar(0), perExample ? perExample(yb, p) : tf.zeros([0])];
    }) as [tf.Scalar, tf.Scalar, tf.Tensor1D];
    lossSum += (l.dataSync()[0] as number) * size;
    accSum += a.dataSync()[0] as number;
    exampleLosses?.set(per.dataSync(), start);
    tf.dispose([l, a, per]);
  }
  const result = { loss: lossSum / data.n + penaltyValue(model), accuracy: accSum / data.n };
  return exampleLosses ? { ...result, exampleLosses } : result;
}

/**
 * The standard error of the change in validation loss between two passes over the same examples,
 * from the per-example differences: how far the validation loss moves by chance alone. Paired, so
 * examples that are always hard do not count as noise.
 */
export function changeStandardError(now: Float32Array, then: Float32Array): number {
  const n = Math.min(now.length, then.length);
  if (n < 2) return 0;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    const d = (now[i] as number) - (then[i] as number);
    sum += d;
    sumSq += d * d;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, (sumSq - n * mean * mean) / (n - 1)) / n);
}
