// Runs the same tf computation on the cpu backend (the reference) and the wasm backend with Model
// Lab's kernels, on the same random inputs, and compares every output within float32 tolerance.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { useBackend } from '../../engine/train/backend';
import { makeRng } from '../../common/random';
import { wasmDir } from './helpers';

export interface Input { shape: number[]; seed: number; dtype?: 'float32' | 'int32'; max?: number }

/** Runs `f` on the cpu and the wasm backend with the same inputs; returns both results as arrays. */
export async function onBoth(inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<[Float32Array[], Float32Array[]]> {
  const results: Float32Array[][] = [];
  for (const backend of ['cpu', 'wasm'] as const) {
    await useBackend(backend, wasmDir);
    const xs = inputs.map(({ shape, seed, dtype, max }) => {
      const rng = makeRng(seed);
      const n = shape.reduce((a, b) => a * b, 1);
      if (dtype === 'int32') return tf.tensor(Int32Array.from({ length: n }, () => Math.floor(rng() * (max ?? 10))), shape, 'int32');
      return tf.tensor(Float32Array.from({ length: n }, () => rng() * 2 - 1), shape);
    });
    const out = f(...xs);
    results.push((Array.isArray(out) ? out : [out]).map((t) => Float32Array.from(t.dataSync())));
    tf.dispose([...xs, ...(Array.isArray(out) ? out : [out])]);
  }
  return results as [Float32Array[], Float32Array[]];
}

export function assertClose(a: Float32Array, b: Float32Array, what: string, rel = 1e-4): void {
  assert.equal(a.length, b.length, `${what}: length`);
  let scale = 1e-6;
  for (const v of a) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < a.length; i++) {
    const diff = Math.abs((a[i] as number) - (b[i] as number));
    assert.ok(diff <= rel * scale, `${what}: element ${i}: cpu ${a[i]} vs wasm ${b[i]}`);
  }
}

/** Compares every output of `f` (values and gradients) between the backends. */
export async function compare(what: string, inputs: Input[], f: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<void> {
  const [cpu, wasm] = await onBoth(inputs, f);
  assert.equal(cpu.length, wasm.length);
  cpu.forEach((v, i) => assertClose(v, wasm[i] as Float32Array, `${what} output ${i}`));
}

export function picker(seed: number): <T>(xs: T[]) => T {
  const rng = makeRng(seed);
  return <T>(xs: T[]): T => xs[Math.floor(rng() * xs.length)] as T;
}
