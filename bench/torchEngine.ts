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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../model/language/parse';
import { makeRng } from '../common/random';
import { readBlasChoice } from '../host/engines/blasCore';

const root = join(__dirname, '..');
const PYTHON = process.env.MODELLAB_PYTHON ?? '/usr/bin/python3';
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

/** The model file's spec as the host hands it to the runner: no source tree, no ranges. */
function specFor(model: string, batch: number): unknown {
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8')
    .replace('batchSize: 64', `batchSize: ${batch}`).replace('epochs: 4', `epochs: ${EPOCHS}`);
  const parsed = parseModel(text, { checkData: false });
  if (!parsed.spec) throw new Error(`${model}: ${JSON.stringify(parsed.diagnostics)}`);
  const strip = (v: unknown): unknown => (Array.isArray(v) ? v.map(strip)
    : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).filter(([k]) => !['source', 'range', 'ranges', 'optionRanges'].includes(k)).map(([k, x]) => [k, strip(x)])) : v);
  return strip(parsed.spec);
}

/** data.json + data.bin of docs/engines.md: n random examples of `shape`, one-hot labels of 10 classes. */
function writeData(dir: string, shape: number[], n: number): string {
  const rng = makeRng(1);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n * size + n * 10);
  for (let i = 0; i < n * size; i++) values[i] = rng();
  for (let i = 0; i < n; i++) values[n * size + i * 10 + Math.floor(rng() * 10)] = 1;
  writeFileSync(join(dir, 'data.bin'), Buffer.from(values.buffer));
  const train = { n, xShape: shape, yShape: [10], x: [0, n * size], y: [n * size, n * 10] };
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ task: 'classification', classes: 10, train }));
  return join(dir, 'data.json');
}

function run(args: string[]): string {
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', env: { ...process.env, ...TORCH_ENV }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout.trim();
}

const fmt = (v: number): string => (Number.isFinite(v) ? Math.round(v).toLocaleString('en-US') : 'fails').padStart(10);
const pct = (v: number, ref: number): string => (Number.isFinite(v / ref) ? `${Math.round((1 - v / ref) * 100)}%` : '-').padStart(9);

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-bench-torch-'));
  let failed = false;
  try {
    const core = openblasCore();
    if (core) TORCH_ENV.OPENBLAS_CORETYPE = core;
    console.log(`OpenBLAS core: ${core ? `${core} (OPENBLAS_CORETYPE, as the host sets it for the runner)` : 'as OpenBLAS chose'}`);
    console.log('samples/s, one thread (median of %d); cost = how much slower than the column before', REPEATS);
    console.log(`${'model'.padEnd(6)}${'batch'.padStart(6)}${'PyTorch'.padStart(10)}${'engine'.padStart(10)}${'cost'.padStart(9)}${'streamed'.padStart(10)}${'cost'.padStart(9)}${'+stats'.padStart(10)}${'cost'.padStart(9)}${'msgs'.padStart(6)}${'+stats/PyTorch'.padStart(16)}`);
    for (const model of ['mlp', 'cnn']) {
      for (const batch of BATCHES) {
        try {
          const spec = specFor(model, batch) as { model: { input: number[] } };
          writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
          const data = writeData(dir, spec.model.input, batch * (smoke ? 4 : 40));
          const steps = smoke ? '5' : String(40 * (EPOCHS - 1));
          const runs: Record<string, number>[] = Array.from({ length: REPEATS }, () => ({
            reference: Number(run([join(root, 'bench', 'torch_reference.py'), model, String(batch), steps])),
            ...(JSON.parse(run([join(root, 'bench', 'torch_engine.py'), join(dir, 'spec.json'), data, '1'])) as Record<string, number>),
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
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (failed) process.exitCode = 1;
}

main();
