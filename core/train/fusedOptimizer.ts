// Fused optimizer steps for the wasm backend: one JS loop per variable over the wasm heap instead
// of ~15 tfjs ops each (Adam is 52 ops for a two-layer MLP, mostly bookkeeping). A scalar JS loop
// costs ~20 ns an element, so large variables (where XNNPACK's vectorised ops win) still go through
// tfjs's own optimizer: the fused loop is for the many small ones (biases, conv kernels). Every operation is
// rounded to float32 (Math.fround) in the order tfjs's own optimizers apply them, so the result
// matches tf.train.adam / tf.train.momentum / tf.train.sgd (test/unit/optimizer.test.ts).
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensorMap } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernels/wasmHeap';

const f = Math.fround;

export type FusedRule =
  | { kind: 'sgd'; learningRate: number }
  | { kind: 'momentum'; learningRate: number; momentum: number; nesterov: boolean }
  | { kind: 'adam'; learningRate: number; beta1: number; beta2: number; epsilon: number };

interface Slots {
  m: Float32Array;
  v?: Float32Array;
}

export class FusedOptimizer extends tf.Optimizer {
  static className = 'ModelLabFusedOptimizer';
  private readonly slots = new Map<string, Slots>();
  private accBeta1: number;
  private accBeta2: number;

  private readonly large: tf.Optimizer;

  constructor(private readonly rule: FusedRule, private readonly fuseBelow = 16384) {
    super();
    this.large = tfjsOptimizerFor(rule);
    this.accBeta1 = rule.kind === 'adam' ? f(rule.beta1) : 1;
    this.accBeta2 = rule.kind === 'adam' ? f(rule.beta2) : 1;
  }

  applyGradients(variableGradients: NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const all = Array.isArray(variableGradients) ? variableGradients : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const list = all.filter((e) => e.tensor && e.tensor.size < this.fuseBelow);
    const large = all.filter((e) => e.tensor && e.tensor.size >= this.fuseBelow);
    // tfjs's optimizer advances its own beta powers once per call, in step with ours.
    if (large.length > 0) this.large.applyGradients(large);
    const backend = tf.backend() as unknown as WasmBackend;
    const rule = this.rule;
    // tfjs computes 1 - beta^t once per step, from the float32 accumulators.
    const c1 = f(1 - this.accBeta1);
    const c2 = f(1 - this.accBeta2);
    for (const { name, tensor: grad } of list) {
      if (!grad) continue;
      const variable = tf.engine().registeredVariables[name];
      if (!variable) throw new Error(`No variable named ${name}.`);
      const size = variable.size;
      let slots = this.slots.get(name);
      if (!slots) {
        slots = { m: new Float32Array(size), ...(rule.kind === 'adam' ? { v: new Float32Array(size) } : {}) };
        this.slots.set(name, slots);
      }
      // Never in place: the wasm backend caches XNNPACK operators with packed weights by tensor id,
      // so new values need a new buffer (assign() releases the old one, and its cache entry).
      const out = backend.makeOutput(variable.shape, 'float32');
      const w = heap(backend, variable);
      const g = heap(backend, grad);
      const next = heap(backend, out);
      const m = slots.m;
      if (rule.kind === 'sgd') {
        const a = f(-rule.learningRate);
        for (let i = 0; i < size; i++) next[i] = f(f(a * (g[i] as number)) + (w[i] as number));
      } else if (rule.kind === 'momentum') {
        const mu = f(rule.momentum);
        const a = f(-rule.learningRate);
        for (let i = 0; i < size; i++) {
          const acc = f(f((m[i] as number) * mu) + (g[i] as number));
          m[i] = acc;
          const step = rule.nesterov ? f(a * f((g[i] as number) + f(acc * mu))) : f(a * acc);
          next[i] = f(step + (w[i] as number));
        }
      } else {
        adamStep(next, w, g, m, slots.v as Float32Array, size, f(rule.beta1), f(rule.beta2), f(1 - rule.beta1), f(1 - rule.beta2), f(rule.epsilon), f(-rule.learningRate), c1, c2);
      }
      const value = tf.engine().makeTensorFromTensorInfo(out);
      variable.assign(value);
      value.dispose();
    }
    if (rule.kind === 'adam') {
      this.accBeta1 = f(this.accBeta1 * f(rule.beta1));
      this.accBeta2 = f(this.accBeta2 * f(rule.beta2));
    }
    this.incrementIterations();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...this.rule };
  }

  override dispose(): void {
    this.slots.clear();
    this.large.dispose();
  }
}

/** tfjs's own optimizer for a rule (the reference arithmetic). */
export function tfjsOptimizerFor(rule: FusedRule): tf.Optimizer {
  switch (rule.kind) {
    case 'sgd': return tf.train.sgd(rule.learningRate);
    case 'momentum': return tf.train.momentum(rule.learningRate, rule.momentum, rule.nesterov);
    case 'adam': return tf.train.adam(rule.learningRate, rule.beta1, rule.beta2, rule.epsilon);
  }
}

/** One Adam step over a variable. A small monomorphic function so V8 compiles it to a tight loop
 *  (inlined in the generic method it ran ~5x slower). */
function adamStep(
  next: Float32Array, w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, size: number,
  b1: number, b2: number, omb1: number, omb2: number, eps: number, a: number, c1: number, c2: number,
): void {
  for (let i = 0; i < size; i++) {
    const gi = g[i]!;
    const mi = f(f(m[i]! * b1) + f(gi * omb1));
    const vi = f(f(v[i]! * b2) + f(f(gi * gi) * omb2));
    m[i] = mi;
    v[i] = vi;
    next[i] = f(f(f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + eps)) * a) + w[i]!);
  }
}

/** The live memory of a tensor on the wasm backend (valid until the next allocation). */
function heap(backend: WasmBackend, t: { dataId: object; shape: number[] }): Float32Array {
  const data = backend.dataIdMap.get(t.dataId);
  if (!data) throw new Error('The fused optimizer needs the wasm backend.');
  const size = t.shape.reduce((a, b) => a * b, 1);
  return backend.wasm.HEAPF32.subarray(data.memoryOffset / 4, data.memoryOffset / 4 + size);
}
