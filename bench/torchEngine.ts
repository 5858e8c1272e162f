// `npm run bench:torch`: the PyTorch engine's training speed against raw PyTorch on the bench MLP and
// CNN (bench/models/), both measured in this run on the same random MNIST-shaped data, one thread,
// the allocator settings of perf-notes.md: raw PyTorch (bench/torch_reference.py), the engine's loop
// with messages dropped, the engine as a process streaming the protocol, and the same with the
// statistics the inside panels draw. The differences are the costs of Keras's meaning (the loop and
// tfjs's optimizer arithmetic), of streaming, and of statistics. Each repeat runs the reference and
// then the engine's three forms, so a change in the machine's load falls on both sides; the engine is
// timed over 9 epochs of 40 batches after one of warm-up, the reference over as many steps after 20
// (3 epochs swung ±15% on a shared machine). `--smoke`: batch 64, one repeat.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readBlasChoice } from '../host/engines/blasCore';
import { engineForms, runTorch, TORCH_PYTHON as PYTHON } from './torchEngineForms';

const root = join(__dirname, '..');
const smoke = process.argv.includes('--smoke');
const BATCHES = smoke ? [64] : [64, 256];
const REPEATS = smoke ? 1 : 3;
const EPOCHS = smoke ? 2 : 10;
const TORCH_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: '16777216', MALLOC_TRIM_THRESHOLD_: '67108864', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

/** The OpenBLAS core the host gives the runner (host/engines/blasCore.ts), given to both sides here. */
function openblasCore(): string | undefined {
  if (process.env.OPENBLAS_CORETYPE) return process.env.OPENBLAS_CORETYPE;
  const r = spawnSync(PYTHON, ['-m', 'modellab_torch.blas'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(root, 'engines', 'pytorch') } });
  return readBlasChoice(r.stdout ?? '').coretype;
}

const fmt = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'fails').padStart(10);
const pct = (v: number, ref: number): string => (Number.isFinite(v / ref) ? `${Math.round((1 - v / ref) * 100)}%` : '-').padStart(9);

function main(): void {
  let failed = false;
  const core = openblasCore();
  if (core) TORCH_ENV.OPENBLAS_CORETYPE = core;
  console.log(`OpenBLAS core: ${core ? `${core} (OPENBLAS_CORETYPE, as the host sets it for the runner)` : 'as OpenBLAS chose'}`);
  console.log('samples/s, one thread (median of %d); cost = how much slower than the column before', REPEATS);
  console.log(`${'model'.padEnd(6)}${'batch'.padStart(6)}${'PyTorch'.padStart(10)}${'engine'.padStart(10)}${'cost'.padStart(9)}${'streamed'.padStart(10)}${'cost'.padStart(9)}${'+stats'.padStart(10)}${'cost'.padStart(9)}${'msgs'.padStart(6)}${'+stats/PyTorch'.padStart(16)}`);
  for (const model of ['mlp', 'cnn']) {
    for (const batch of BATCHES) {
      try {
        const steps = smoke ? '5' : String(40 * (EPOCHS - 1));
        const runs: Record<string, number>[] = Array.from({ length: REPEATS }, () => ({
          reference: Number(runTorch([join(root, 'bench', 'torch_reference.py'), model, String(batch), steps], TORCH_ENV)),
          ...engineForms(model, batch, EPOCHS, smoke, TORCH_ENV),
        }));
        const median = (key: string): number => {
          const xs = runs.map((r) => r[key] ?? NaN).sort((a, b) => a - b);
          return xs[Math.floor(xs.length / 2)] as number;
        };
        const [reference, quiet, streamed, stats] = [median('reference'), median('quiet'), median('streamed'), median('stats')];
        const e = { messages: runs[0]?.messages ?? NaN };
        console.log(`${model.padEnd(6)}${String(batch).padStart(6)}${fmt(reference)}${fmt(quiet)}${pct(quiet, reference)}${fmt(streamed)}${pct(streamed, quiet)}${fmt(stats)}${pct(stats, streamed)}${String(e.messages).padStart(6)}${`${(stats / reference).toFixed(2)}x`.padStart(16)}`);
      } catch (err) {
        failed = true;
        console.log(`${model.padEnd(6)}${String(batch).padStart(6)}  fails: ${(err as Error).message}`);
      }
    }
  }
  if (failed) process.exitCode = 1;
}

main();
