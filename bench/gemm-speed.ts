// `npm run bench:gemm`: our GEMM (engine/train/kernels/simd/gemm.ts) against the shipped wasm
// backend's path (XNNPACK, after a transpose copy when an operand is transposed) on the matrix
// products of the bench models' training steps, and our direct convolution kernels (directConv.ts)
// against XNNPACK's convolution, the im2col filter gradient and the dy·Wᵀ + col2im input
// gradient (transposedConv.ts), all measured in this run. This is
// what ownGemmWins (batchMatMul.ts) and directConvFits (conv2dDirect.ts) are chosen from. Times
// are CPU time of this process per call (other processes on a shared machine inflate wall time).
// MODEL_LAB_NO_RELAXED_SIMD=1 measures the SIMD128 build where the engine has relaxed SIMD.
import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { assetDirs } from '../engine/assets';
import { wasmSimdNote, useBackend } from '../engine/train/backend';
import { setGemmPolicy, type GemmPolicy } from '../engine/train/kernels/batchMatMul';
import { setDirectConv } from '../engine/train/kernels/conv2dDirect';

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

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Median over 5 rounds of the CPU milliseconds of one call. */
function timeCall(run: () => void, reps: number): number {
  for (let i = 0; i < 5; i++) run();
  const times: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = cpuMs();
    for (let i = 0; i < reps; i++) run();
    times.push((cpuMs() - t0) / reps);
  }
  return times.sort((x, y) => x - y)[2] as number;
}

function timeOne(a: tf.Tensor, b: tf.Tensor, ta: boolean, tb: boolean, p: GemmPolicy, reps: number): number {
  setGemmPolicy(p);
  return timeCall(() => tf.matMul(a, b, ta, tb).dispose(), reps);
}

/** The bench CNN's convolutions (and 'same' ones, stride 1 and 2): forward and both gradients. */
function convs(): void {
  console.log('\nconvolution                   batch  XNNPACK/im2col µs   direct µs  speed-up');
  for (const B of [64, 256]) {
    for (const [what, h, c, f, pad, s] of [['conv1 28x28x1 -> 8', 28, 1, 8, 'valid', 1], ['conv2 13x13x8 -> 16', 13, 8, 16, 'valid', 1],
      ['conv 14x14x8 -> 16 same', 14, 8, 16, 'same', 1], ['conv 14x14x16 -> 16 same /2', 14, 16, 16, 'same', 2]] as const) {
      const x = tf.randomNormal([B, h, h, c]) as tf.Tensor4D, w = tf.randomNormal([3, 3, c, f]) as tf.Tensor4D;
      const dy = tf.conv2d(x, w, s, pad);
      const reps = B === 64 ? 20 : 6;
      const forward = () => tf.conv2d(x, w, s, pad).dispose();
      const filter = () => (tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: s, pad, dataFormat: 'NHWC', filterShape: [3, 3, c, f] }) as tf.Tensor).dispose();
      const input = () => (tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { strides: s, pad, dataFormat: 'NHWC', inputShape: x.shape }) as tf.Tensor).dispose();
      for (const [kind, run] of [['forward', forward], ['filter gradient', filter], ['input gradient', input]] as const) {
        if ((kind === 'filter gradient' && c % 4 !== 0) || (kind === 'input gradient' && c % 8 !== 0)) continue;
        setDirectConv(false);
        const theirs = timeCall(run, reps);
        setDirectConv(true);
        const ours = timeCall(run, reps);
        console.log(`${`${what} ${kind}`.padEnd(40)} ${String(B).padStart(4)} ${(theirs * 1e3).toFixed(0).padStart(10)} ${(ours * 1e3).toFixed(0).padStart(11)} ${(theirs / ours).toFixed(2).padStart(9)}`);
      }
      tf.dispose([x, w, dy]);
    }
  }
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
  convs();
}

void main();
