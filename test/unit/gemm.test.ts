// Our GEMM (engine/train/kernels/simd/gemm.ts, behind BatchMatMul and the fused dense layer) against
// tfjs's cpu backend: values and gradients for every transpose, on shapes that are and are not
// multiples of its 4x8 tile, with batches; and the module's safety check on what it may touch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../../engine/train/backend';
import { gemmShape, ownGemm, ownGemmWins } from '../../engine/train/kernels/batchMatMul';
import { kernelModule, loadSimdLoops, relaxedSimdSupported, RELAXED_SIMD_FILE, SIMD_FILE, simd } from '../../engine/train/kernels/simdLoops';
import type { WasmBackend } from '../../engine/train/kernels/wasmHeap';
import { checkStackless } from '../../scripts/check-wasm-module.mjs';
import { assertClose, onBoth } from './kernelCompare';
import { wasmDir } from './helpers';

const SHAPES: [number, number, number][] = [[1, 1, 1], [4, 8, 8], [5, 7, 3], [3, 9, 13], [9, 33, 17], [64, 784, 128], [64, 128, 10], [72, 300, 16], [17, 5, 24]];

test('the kernels module is loaded, and the relaxed-SIMD build exactly when the engine runs relaxed SIMD', async () => {
  await useBackend('wasm', wasmDir);
  assert.ok(simd(), 'no kernels module: was the extension built (npm run build)?');
  assert.equal(kernelModule(), relaxedSimdSupported() ? 'relaxed-simd' : 'simd128');
});

for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  test(`matMul (transposeA ${ta}, transposeB ${tb}) and its gradients through our GEMM match the cpu backend`, async () => {
    for (const [m, k, n] of SHAPES) {
      for (const batch of [1, 3]) {
        if (batch === 3 && m * k * n > 5000) continue;
        const aShape = ta ? [batch, k, m] : [batch, m, k];
        const bShape = tb ? [batch, n, k] : [batch, k, n];
        const s = gemmShape(aShape, bShape, ta, tb);
        assert.ok(s && s.m === m && s.n === n && s.k === k);
        const [cpu, wasm] = await onBoth([{ shape: aShape, seed: m + k }, { shape: bShape, seed: n + 1 }], (a, b) => {
          const g = tf.grads((aa: tf.Tensor, bb: tf.Tensor) => tf.sum(tf.square(tf.matMul(aa, bb, ta, tb))));
          return [tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb), ...g([a as tf.Tensor, b as tf.Tensor])];
        });
        cpu.forEach((v, i) => assertClose(v, wasm[i] as Float32Array, `${batch}x${m}x${k}x${n} output ${i}`));
      }
    }
  });
}

test('our GEMM with bias and ReLU (called directly, whatever the policy picks) matches the cpu backend', async () => {
  for (const [m, k, n] of SHAPES) {
    for (const [ta, tb] of [[false, false], [true, true]] as const) {
      const aShape = ta ? [1, k, m] : [1, m, k];
      const bShape = tb ? [1, n, k] : [1, k, n];
      const [cpu, wasm] = await onBoth([{ shape: aShape, seed: 3 }, { shape: bShape, seed: 4 }, { shape: [n], seed: 5 }], (a, b, bias) => {
        if (tf.getBackend() === 'cpu') return tf.relu(tf.add(tf.matMul(a as tf.Tensor, b as tf.Tensor, ta, tb), bias as tf.Tensor));
        const backend = tf.backend() as unknown as WasmBackend;
        const out = ownGemm(backend, a as tf.Tensor, b as tf.Tensor, ta, tb, gemmShape(aShape, bShape, ta, tb)!, bias as tf.Tensor, true);
        return tf.engine().makeTensorFromTensorInfo(out);
      });
      assertClose(cpu[0] as Float32Array, wasm[0] as Float32Array, `${m}x${k}x${n} ${ta} ${tb} bias+relu`);
      assert.ok((wasm[0] as Float32Array).some((v) => v === 0) || m * n < 4, 'ReLU clipped some outputs');
    }
  }
});

test('the measured policy takes our GEMM for same-batch products; broadcast batches keep the shipped kernel', () => {
  assert.equal(ownGemmWins(gemmShape([1, 64, 784], [1, 784, 128], false, false)!), true);
  assert.equal(ownGemmWins(gemmShape([1, 64, 784], [1, 64, 128], true, false)!), true);
  assert.equal(ownGemmWins(gemmShape([1, 0, 784], [1, 784, 128], false, false)!), false, 'an empty product');
  assert.equal(gemmShape([2, 3, 4], [1, 4, 5], false, false), undefined);
  assert.equal(gemmShape([3, 4], [5, 6], false, false), undefined, 'inner sizes differ');
});

for (const activation of ['relu', 'linear', 'elu', 'sigmoid', 'leakyrelu'] as const) {
  test(`fused matMul + bias + ${activation} (a dense layer's forward pass) and its gradients match the cpu backend`, async () => {
    for (const [m, k, n] of SHAPES) {
      for (const tb of [false, true]) {
        const bShape = tb ? [n, k] : [k, n];
        const [cpu, wasm] = await onBoth([{ shape: [m, k], seed: 9 }, { shape: bShape, seed: 10 }, { shape: [n], seed: 11 }], (a, b, bias) => {
          const f = (aa: tf.Tensor, bb: tf.Tensor, cc: tf.Tensor) => tf.fused.matMul({ a: aa as tf.Tensor2D, b: bb as tf.Tensor2D, transposeB: tb, bias: cc, activation });
          const g = tf.grads((aa: tf.Tensor, bb: tf.Tensor, cc: tf.Tensor) => tf.sum(tf.square(f(aa, bb, cc))));
          return [f(a as tf.Tensor, b as tf.Tensor, bias as tf.Tensor), ...g([a as tf.Tensor, b as tf.Tensor, bias as tf.Tensor])];
        });
        cpu.forEach((v, i) => assertClose(v, wasm[i] as Float32Array, `${m}x${k}x${n} tb ${tb} ${activation} output ${i}`));
      }
    }
  });
}

test('a missing kernels module stops the wasm backend with a message, not a silent slow path', () => {
  assert.throws(() => loadSimdLoops(join(wasmDir, 'nowhere'), new WebAssembly.Memory({ initial: 1 })), /module .* is missing: build the extension again/);
});

test('the build refuses a kernels module that has a global, a data segment or another import', () => {
  for (const file of [SIMD_FILE, RELAXED_SIMD_FILE]) checkStackless(readFileSync(join(wasmDir, file)), file);
  const header = [0, 97, 115, 109, 1, 0, 0, 0];
  const memoryImport = [2, 15, 1, 3, 101, 110, 118, 6, 109, 101, 109, 111, 114, 121, 2, 0, 0];
  // (global i32 (i32.const 0)): a stack pointer, as clang or asc's runtime would make.
  const withGlobal = new Uint8Array([...header, ...memoryImport, 6, 6, 1, 127, 1, 65, 0, 11]);
  assert.throws(() => checkStackless(withGlobal, 'g'), /has a global/);
  // (data (i32.const 0) "x"): instantiating it would write over a tensor.
  const withData = new Uint8Array([...header, ...memoryImport, 11, 7, 1, 0, 65, 0, 11, 1, 120]);
  assert.throws(() => checkStackless(withData, 'd'), /data segment/);
  const otherImport = new Uint8Array([...header, 1, 4, 1, 96, 0, 0, 2, 11, 1, 3, 101, 110, 118, 3, 97, 98, 99, 0, 0]);
  assert.throws(() => checkStackless(otherImport, 'i'), /may import only env.memory/);
  checkStackless(new Uint8Array([...header, ...memoryImport]), 'ok');
});
