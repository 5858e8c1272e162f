// `npm run bench:kernels [batch]`: where a training step of the benchmark CNN (bench/models/cnn.model.yaml)
// spends its time on the wasm backend with Model Lab's kernels: tf.profile's time per kernel,
// summed over 50 steps, largest first. It shows what to optimise next when `npm run bench` falls
// short of PyTorch; the step rate printed here is unprofiled and not comparable with other machines.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { assetDirs } from '../engine/assets';
import { parseModel } from '../model/language/parse';
import { simdInUse, useBackend } from '../engine/train/backend';
import { buildModel } from '../engine/train/buildModel';
import { makeOptimizer } from '../engine/train/optimizer';

const root = join(__dirname, '..');
const STEPS = 50;

async function main(): Promise<void> {
  await useBackend('wasm', assetDirs(root).wasmDir);
  const batch = Number(process.argv[2] ?? 64);
  const parsed = parseModel(readFileSync(join(root, 'bench', 'models', 'cnn.model.yaml'), 'utf8'), { checkData: false });
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
  const model = buildModel(parsed.spec);
  const optimizer = makeOptimizer(parsed.spec.train, 'wasm');
  const x = tf.randomNormal([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32') as tf.Tensor1D, 10);
  const step = (): void => tf.tidy(() => {
    const cost = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor), true);
    cost?.dataSync();
  });
  for (let i = 0; i < 20; i++) step(); // warm-up: XNNPACK operators, V8 tiers

  const t0 = performance.now();
  for (let i = 0; i < STEPS; i++) step();
  const stepMs = (performance.now() - t0) / STEPS;
  console.log(`CNN batch ${batch}, SIMD module ${simdInUse() ? 'in use' : 'missing'}: ${stepMs.toFixed(2)} ms a step, ${Math.round((batch * 1000) / stepMs)} samples/s`);

  const byKernel = new Map<string, number>();
  for (let i = 0; i < STEPS; i++) {
    const profile = await tf.profile(step);
    for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + Number(k.kernelTimeMs));
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 12)) {
    console.log(`${name.padEnd(24)} ${(ms / STEPS).toFixed(3).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
  }
  tf.dispose([x, y]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
