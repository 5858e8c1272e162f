// Fused optimizer steps for the wasm backend: one JS loop per variable over the wasm heap instead
// of ~15 tfjs ops each (Adam is 52 ops for a two-layer MLP, mostly bookkeeping). A scalar JS loop
// costs ~20 ns an element, so large variables (where XNNPACK's vectorised ops win) still go through
// tfjs's own optimizer: the fused loop is for the many small ones (biases, conv kernels). The loops
// (fusedSteps.ts) round every operation to float32 in tfjs's order, so the result matches
// tf.train.adam / rmsprop / adagrad / momentum / sgd and our AdamW (test/unit/optimizer.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernels/wasmHeap';
import { adagradStep, adamStep, momentumStep, rmspropStep } from './fusedSteps';
import { SimdAdam, type AdamScalars } from './kernels/simdAdam';
import { setOptimizerLearningRate, tfjsOptimizerFor, type FusableRule } from './optimizerRules';

export { tfjsOptimizerFor } from './optimizerRules';
export type FusedRule = FusableRule;

const f = Math.fround;

/** Per-variable state: Adam's m and v, momentum's accumulator, RMSProp's mean square / moment / mean grad. */
interface Slots {
  a?: Float32Array;
  b?: Float32Array;
  c?: Float32Array;
}

export class FusedOptimizer extends tf.Optimizer {
  static className = 'ModelLabFusedOptimizer';
  private readonly slots = new Map<string, Slots>();
  private accBeta1: number;
  private accBeta2: number;
  private learningRate: number;
  private readonly large: tf.Optimizer;
  /** Adam/AdamW through the SIMD module when it is loaded: faster than tfjs's ops at any size. */
  private readonly simdAdam: SimdAdam | undefined;
  private readonly fuseBelow: number;

  /** `fuseBelow`: variables this large or larger go through tfjs's optimizer (default: none with
   *  the SIMD Adam, else 16384, where the scalar JS loop stops beating XNNPACK's vectorised ops). */
  constructor(private readonly rule: FusedRule, fuseBelow?: number) {
    super();
    const adamKind = rule.kind === 'adam' || rule.kind === 'adamw';
    this.simdAdam = adamKind && tf.getBackend() === 'wasm' ? SimdAdam.create(tf.backend() as unknown as WasmBackend) : undefined;
    this.fuseBelow = fuseBelow ?? (this.simdAdam ? Infinity : 16384);
    this.large = tfjsOptimizerFor(rule);
    this.learningRate = rule.learningRate;
    const adam = rule.kind === 'adam' || rule.kind === 'adamw';
    this.accBeta1 = adam ? f(rule.beta1) : 1;
    this.accBeta2 = adam ? f(rule.beta2) : 1;
  }

  /** The next step's learning rate (schedules change it every step). */
  setLearningRate(learningRate: number): void {
    this.learningRate = learningRate;
    setOptimizerLearningRate(this.large, learningRate);
  }

  applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const all = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const list = all.filter((e) => e.tensor && e.tensor.size < this.fuseBelow);
    const large = all.filter((e) => e.tensor && e.tensor.size >= this.fuseBelow);
    // tfjs's optimizer advances its own beta powers once per call, in step with ours.
    if (large.length > 0) this.large.applyGradients(large);
    const backend = tf.backend() as unknown as WasmBackend;
    for (const { name, tensor: grad } of list) {
      if (!grad) continue;
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`No variable named ${name}.`);
      // Never in place: the wasm backend caches XNNPACK operators with packed weights by tensor id,
      // so new values need a new buffer (assign() releases the old one, and its cache entry).
      const out = backend.makeOutput(variable.shape, 'float32');
      if (this.simdAdam) this.simdAdam.step(name, variable, grad, out, variable.size, this.adamScalars());
      else this.step(heap(backend, out), heap(backend, variable), heap(backend, grad), this.slotsFor(name, variable.size), variable.size);
      const value = tf.engine().makeTensorFromTensorInfo(out);
      variable.assign(value);
      value.dispose();
    }
    if (this.rule.kind === 'adam' || this.rule.kind === 'adamw') {
      this.accBeta1 = f(this.accBeta1 * f(this.rule.beta1));
      this.accBeta2 = f(this.accBeta2 * f(this.rule.beta2));
    }
    this.incrementIterations();
  }

  private slotsFor(name: string, size: number): Slots {
    let slots = this.slots.get(name);
    if (slots) return slots;
    const r = this.rule;
    const zeros = (): Float32Array => new Float32Array(size);
    switch (r.kind) {
      case 'sgd': slots = {}; break;
      case 'momentum': slots = { a: zeros() }; break;
      case 'adam': case 'adamw': slots = { a: zeros(), b: zeros() }; break;
      case 'rmsprop': slots = { a: zeros(), b: zeros(), ...(r.centered ? { c: zeros() } : {}) }; break;
      case 'adagrad': slots = { a: new Float32Array(size).fill(r.initialAccumulatorValue) }; break;
    }
    this.slots.set(name, slots);
    return slots;
  }

  private step(next: Float32Array, w: Float32Array, g: Float32Array, s: Slots, size: number): void {
    const r = this.rule;
    const lr = this.learningRate;
    switch (r.kind) {
      case 'sgd':
        return momentumStep(next, w, g, undefined, size, 0, f(-lr), false);
      case 'momentum':
        return momentumStep(next, w, g, s.a, size, f(r.momentum), f(-lr), r.nesterov);
      case 'adam': case 'adamw':
        // tfjs computes 1 - beta^t once per step, from the float32 accumulators.
        return adamStep(next, w, g, s.a!, s.b!, size, f(r.beta1), f(r.beta2), f(1 - r.beta1), f(1 - r.beta2), f(r.epsilon), f(-lr),
          f(1 - this.accBeta1), f(1 - this.accBeta2), r.kind === 'adamw' ? f(lr * r.weightDecay) : 0);
      case 'rmsprop':
        return rmspropStep(next, w, g, s.a!, s.b!, s.c, size, f(r.decay), f(1 - r.decay), f(r.momentum), f(r.epsilon), f(lr));
      case 'adagrad':
        return adagradStep(next, w, g, s.a!, size, f(tf.backend().epsilon()), f(-lr));
    }
  }

  /** The scalars of this step's Adam/AdamW, rounded as the JS loop's arguments (see step()). */
  private adamScalars(): AdamScalars {
    const r = this.rule;
    if (r.kind !== 'adam' && r.kind !== 'adamw') throw new Error('Not an Adam rule.');
    const lr = this.learningRate;
    return {
      b1: f(r.beta1), b2: f(r.beta2), omb1: f(1 - r.beta1), omb2: f(1 - r.beta2), eps: f(r.epsilon), a: f(-lr),
      c1: f(1 - this.accBeta1), c2: f(1 - this.accBeta2), decay: r.kind === 'adamw' ? f(lr * r.weightDecay) : 0,
    };
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.rule, learningRate: this.learningRate };
  }

  override dispose(): void {
    this.slots.clear();
    this.simdAdam?.dispose();
    this.large.dispose();
  }
}

/** The live memory of a tensor on the wasm backend (valid until the next allocation). */
function heap(backend: WasmBackend, t: { dataId: object; shape: number[] }): Float32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('The fused optimizer needs the wasm backend.');
  const size = t.shape.reduce((a, b) => a * b, 1);
  return backend.wasm.HEAPF32.subarray(data.memoryOffset / 4, data.memoryOffset / 4 + size);
}
