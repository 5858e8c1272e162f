// `npm run bench`: training speed on this machine, every figure measured in the same run, each in a
// fresh process. Model Lab's training loop on the wasm backend (with its own kernels), the same
// loop on the wasm backend as shipped ("stock": no kernels of ours, tfjs's optimizers; convolutions
// cannot train there), on tfjs's cpu backend, and PyTorch (Debian's python3-torch, one thread, allocator settings of
// perf-notes.md) on the same models and batch sizes. Training steps only, random MNIST-shaped data.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetDirs } from '../core/assets';
import type { Dataset } from '../core/data/dataset';
import { parseModel } from '../core/spec/parse';
import { train } from '../core/train/loop';
import { neverCancelled } from '../core/util/cancellation';
import { makeRng } from '../core/util/random';

const root = join(__dirname, '..');
const MODELS = ['mlp', 'cnn'] as const;
const BATCHES = [64, 256];

function randomData(shape: number[], n: number): Dataset {
  const rng = makeRng(1);
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: 'random', shape, classes: 10, task: 'multiclass', n,
    x: Float32Array.from({ length: n * size }, () => rng()),
    y: Float32Array.from({ length: n }, () => Math.floor(rng() * 10)),
  };
}

/** Median samples/s of the epochs after the first (warm-up). */
async function measureOurs(model: string, batch: number, backend: 'wasm' | 'cpu'): Promise<number> {
  // The cpu reference is ~100x slower: two short epochs (one warm-up) are enough to time it.
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8').replace('batchSize: 64', `batchSize: ${batch}`).replace('epochs: 4', `epochs: ${backend === 'cpu' ? 2 : 4}`);
  const parsed = parseModel(text, { checkData: false });
  if (!parsed.spec) throw new Error(`${model}: ${JSON.stringify(parsed.diagnostics)}`);
  const n = backend === 'cpu' ? batch * 2 : batch * 40;
  const rates: number[] = [];
  await train(parsed.spec, {
    runId: 'bench', modelFile: '', ...assetDirs(root), backend, token: neverCancelled, data: randomData(parsed.spec.model.input, n),
    sink: { started: () => {}, batch: () => {}, epoch: (e) => rates.push(e.samplesPerSec), log: () => {} },
  });
  rates.shift();
  rates.sort((a, b) => a - b);
  return rates[Math.floor(rates.length / 2)] ?? 0;
}

/** Median of REPEATS fresh processes: both sides vary by ±20% from run to run on this machine. */
const REPEATS = 3;
function child(args: string[], env: NodeJS.ProcessEnv = {}, repeats = REPEATS): number {
  const [cmd, ...rest] = args as [string, ...string[]];
  const values: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = spawnSync(cmd, rest, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) return NaN;
    values.push(Number(r.stdout.trim().split('\n').pop()));
  }
  return values.sort((a, b) => a - b)[Math.floor(repeats / 2)] as number;
}

const TORCH_ENV = { MALLOC_MMAP_THRESHOLD_: '16777216', MALLOC_TRIM_THRESHOLD_: '67108864', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

async function main(): Promise<void> {
  const [, , mode, model, batch, backend] = process.argv;
  if (mode === '--child') {
    process.stdout.write(String(await measureOurs(model as string, Number(batch), backend as 'wasm' | 'cpu')));
    return;
  }
  const fmt = (v: number) => (Number.isNaN(v) ? 'fails' : Math.round(v).toLocaleString('en-US')).padStart(11);
  console.log(`samples/s (training steps, median of ${REPEATS} processes); ratio = Model Lab wasm / PyTorch 1 thread`);
  console.log(`${'model'.padEnd(10)}${'batch'.padStart(6)}${'wasm'.padStart(11)}${'stock wasm'.padStart(11)}${'cpu'.padStart(11)}${'PyTorch'.padStart(11)}${'ratio'.padStart(8)}`);
  for (const m of MODELS) {
    for (const b of BATCHES) {
      const ours = child([process.execPath, '--import', 'tsx', __filename, '--child', m, String(b), 'wasm']);
      const stock = child([process.execPath, '--import', 'tsx', __filename, '--child', m, String(b), 'wasm'], { MODEL_LAB_STOCK_KERNELS: '1' }, 1);
      const cpu = child([process.execPath, '--import', 'tsx', __filename, '--child', m, String(b), 'cpu'], {}, 1);
      const torch = child(['/usr/bin/python3', join(root, 'bench', 'torch_reference.py'), m, String(b), m === 'mlp' ? '400' : '100'], TORCH_ENV);
      console.log(`${m.padEnd(10)}${String(b).padStart(6)}${fmt(ours)}${fmt(stock)}${fmt(cpu)}${fmt(torch)}${(ours / torch).toFixed(2).padStart(8)}`);
    }
  }
}

void main();
