// The arithmetic one data-parallel replica does per step, identical in both replicas: gradients of
// the mean loss on its half batch written into shared memory, then the two halves weighted by their
// row counts and added in a fixed order (replica 0 first), and the same optimizer step applied.
// Batch-norm moving statistics (updated by each half's forward pass) are averaged the same way, so
// nothing differs between the replicas after a step.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { correctCount, type lossFn } from '../losses';
import { f32, type WasmBackend } from '../kernels/wasmHeap';
import { withPenalty } from '../regularization';

type Loss = ReturnType<typeof lossFn>;

export interface HalfResult {
  loss: number;
  correct: number;
}

export class ReplicaStep {
  readonly trainable: tf.Variable[];
  /** State the forward pass changes in training (batch-norm moving mean/variance). */
  readonly stats: tf.Variable[];
  readonly exchange: number;

  constructor(private readonly model: tfl.LayersModel, private readonly optimizer: tf.Optimizer, private readonly loss: Loss, private readonly wantAcc: boolean) {
    this.trainable = model.trainableWeights.map((w) => w.read() as tf.Variable);
    this.stats = model.nonTrainableWeights.filter((w) => /moving_(mean|variance)/.test(w.name)).map((w) => w.read() as tf.Variable);
    this.exchange = [...this.trainable, ...this.stats].reduce((a, v) => a + v.size, 0);
  }

  /** Gradients of the mean loss over (x, y) into `out` (then the moving statistics); disposes x, y. */
  computeHalf(x: tf.Tensor, y: tf.Tensor, out: Float32Array): HalfResult {
    let acc: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const p = this.model.apply(x, { training: true }) as tf.Tensor;
      if (this.wantAcc) acc = tf.keep(correctCount(y, p));
      // With the weight penalties, as the one-worker step: averaged, each half's penalty counts once.
      return withPenalty(this.model, this.loss(y, p));
    }, this.trainable);
    let offset = 0;
    for (const v of this.trainable) {
      const g = grads[v.name];
      if (!g) throw new Error(`No gradient for ${v.name}.`);
      out.set(view(g), offset);
      offset += v.size;
    }
    for (const v of this.stats) {
      out.set(view(v), offset);
      offset += v.size;
    }
    const result = { loss: value.dataSync()[0] as number, correct: acc ? (acc.dataSync()[0] as number) : 0 };
    tf.dispose([x, y, value, ...Object.values(grads), ...(acc ? [acc] : [])]);
    return result;
  }

  /** w0*g0 + w1*g1 per element (in this order, in both replicas), then the optimizer step. */
  applyAveraged(g0: Float32Array, g1: Float32Array, w0: number, w1: number): void {
    const backend = tf.backend() as unknown as WasmBackend;
    const averaged: { name: string; tensor: tf.Tensor }[] = [];
    const stats: tf.Tensor[] = [];
    let offset = 0;
    for (const [i, v] of [...this.trainable, ...this.stats].entries()) {
      const info = backend.makeOutput(v.shape, 'float32');
      const out = f32(backend, info);
      if (w1 === 0) out.set(g0.subarray(offset, offset + v.size));
      else for (let j = 0; j < v.size; j++) out[j] = (g0[offset + j] as number) * w0 + (g1[offset + j] as number) * w1;
      offset += v.size;
      const t = tf.engine().makeTensorFromTensorInfo(info);
      if (i < this.trainable.length) averaged.push({ name: v.name, tensor: t });
      else stats.push(t);
    }
    this.optimizer.applyGradients(averaged);
    // Not in place (the wasm backend caches packed weights by tensor id): assign new tensors.
    this.stats.forEach((v, i) => v.assign(stats[i] as tf.Tensor));
    tf.dispose([...averaged.map((a) => a.tensor), ...stats]);
  }
}

/** The data of a tensor on the wasm backend, without a copy. */
function view(t: tf.Tensor): Float32Array {
  return f32(tf.backend() as unknown as WasmBackend, t);
}
