// `npm run bench:dropout`: what drawing a dropout mask costs on each engine for one large activation
// (64x28x28x32 floats, rate 0.5), the shared mulberry32 mask (freshMaskDropout.ts, elementwise.py)
// against each engine's own draw measured in the same run: tfjs's tf.dropout (seedrandom alea) on
// the wasm backend, and torch.rand + compare on the runner's CPU device (bench/torch_dropout.py).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '../engine/train/backend';
import { FreshMaskDropout } from '../engine/train/customLayers/freshMaskDropout';
import { repo, wasmDir } from '../test/unit/helpers';
import { torchPython } from '../test/slow/torchPython';

const SHAPE = [64, 28, 28, 32];
const REPS = 7;

function median(f: () => void): number {
  f(); // warm-up: kernels compiled, buffers allocated
  const times: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const t = performance.now();
    f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[REPS >> 1] as number;
}

async function main(): Promise<void> {
  await useBackend('wasm', wasmDir);
  const x = tf.randomNormal(SHAPE, 0, 1, 'float32', 1);
  const layer = new FreshMaskDropout({ rate: 0.5, seed: 7 });
  layer.apply(tfl.input({ shape: SHAPE.slice(1) }));
  let seed = 0;
  const read = (y: tf.Tensor): void => {
    y.dataSync();
    y.dispose();
  };
  const own = median(() => read(tf.dropout(x, 0.5, undefined, seed++)));
  const shared = median(() => read(layer.apply(x, { training: true }) as tf.Tensor));
  console.log(`tfjs (wasm), ${SHAPE.join('x')}: tf.dropout (alea) ${own.toFixed(1)} ms, shared mulberry32 mask ${shared.toFixed(1)} ms (median of ${REPS})`);
  x.dispose();
  const py = spawnSync(torchPython(), [join(repo, 'bench', 'torch_dropout.py'), SHAPE.join(',')], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(repo, 'engines', 'pytorch') } });
  if (py.status !== 0) throw new Error(py.stderr);
  process.stdout.write(py.stdout);
}

void main();
