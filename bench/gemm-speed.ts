// `npm run bench:gemm`: our GEMM (engine/train/kernels/simd/gemm.ts) against the shipped wasm
// backend's path (XNNPACK, after a transpose copy when an operand is transposed) on the matrix
// products of the bench models' training steps, both measured in this run. This is what
// ownGemmWins in engine/train/kernels/batchMatMul.ts is chosen from.
// MODEL_LAB_NO_RELAXED_SIMD=1 measures the SIMD128 build where the engine has relaxed SIMD.
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { assetDirs } from '../engine/assets';
import { wasmSimdNote, useBackend } from '../engine/train/backend';
import { setGemmPolicy, type GemmPolicy } from '../engine/train/kernels/batchMatMul';

const root = join(__dirname, '..');

/** [what, m, k, n, transposeA, transposeB] for batch B. */
function products(B: number): [string, number, number, number, boolean, boolean][] {
  const n1 = B * 676, n2 = B * 121;
  return [
    ['MLP dense1 x·W', B, 784, 128, false, false],
    ['MLP dense1 dW = xᵀ·dy', 784, B, 128, true, false],
    ['MLP dense2 h·W', B, 128, 10, false, false],
    ['MLP dense2 dW = hᵀ·dy', 128, B, 10, true, false],
    ['MLP dense2 dx = dy·Wᵀ', B, 10, 128, false, true],
    ['CNN conv1 dW = colsᵀ·dy', 9, n1, 8, false, false],
    ['CNN conv2 dW = colsᵀ·dy', 72, n2, 16, false, false],
    ['CNN conv2 dx = dy·Wᵀ', n2, 16, 72, false, true],
    ['CNN dense dW = xᵀ·dy', 400, B, 10, true, false],
  ];
}

function timeOne(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean, p: GemmPolicy, reps: number): number {
  setGemmPolicy(p);
  const run = () => tf.matMul(a, b, ta, tb).dispose();
  for (let i = 0; i < 5; i++) run();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) run();
    times.push((performance.now() - t0) / reps);
  }
  return times.sort((x, y) => x - y)[2] as number;
}

async function main(): Promise<void> {
  await useBackend('wasm', assetDirs(root).wasmDir);
  console.log(`kernels module: ${wasmSimdNote()}`);
  console.log('product                       batch     m     k     n  XNNPACK µs   ours µs  ours GFLOP/s  speed-up');
  for (const B of [64, 256]) {
    for (const [what, m, k, n, ta, tb] of products(B)) {
      const a = tf.randomNormal(ta ? [k, m] : [m, k]), b = tf.randomNormal(tb ? [n, k] : [k, n]);
      const reps = Math.max(3, Math.min(2000, Math.round(2e8 / (m * n * k))));
      const xnn = timeOne(a, b, ta, tb, 'xnnpack', reps), ours = timeOne(a, b, ta, tb, 'own', reps);
      const gflops = (2 * m * n * k) / (ours * 1e6);
      console.log(`${what.padEnd(28)} ${String(B).padStart(6)} ${String(m).padStart(5)} ${String(k).padStart(5)} ${String(n).padStart(5)} ${(xnn * 1e3).toFixed(1).padStart(11)} ${(ours * 1e3).toFixed(1).padStart(9)} ${gflops.toFixed(1).padStart(13)} ${(xnn / ours).toFixed(2).padStart(9)}`);
      tf.dispose([a, b]);
    }
  }
  setGemmPolicy('measured');
}

void main();
