// `npm run bench`: training speed on this machine, every figure measured in the same run, each in a
// fresh process. Model Lab's training loop on the wasm backend (with its own kernels) on one worker
// and data-parallel on two, the same loop on the wasm backend as shipped ("stock": no kernels of
// ours, tfjs's optimizers), on tfjs's cpu backend, and PyTorch (Debian's python3-torch, one thread,
// on OpenBLAS with the core the CPU allows: bench/torchReference.ts, which refuses a ratio against the
// reference BLAS) on the same models and batch sizes. Training steps only, random MNIST-shaped data. Then the extension host's side while a run streams (bench/hostLag.ts)
// and the size of the packaged extension.
// `--dense-ops`: the MLP only, also with its dense layers and Softmax's gradient as tfjs's ops (what
// engine/train/kernels/denseOp.ts and softmaxGrad.ts save), by the clock or with `--cpu`.
// `--cpu`: instead, one worker and PyTorch in samples per CPU second (a busy machine); with `--input-grad`, the CNN
// only, also with its input gradient as dy·Wᵀ + col2im instead of the direct kernel. `--cli`: instead, training end to end through `model-lab train` on MNIST beside PyTorch on the same
// digits (bench/cliSpeed.ts). `--smoke` (CI, after npm test): every path once (batch 64 only), a few batches each; the figures
// mean nothing and nothing is asserted on time, but a path that errors fails it (exit 1). The stock
// backend failing to train the CNN is expected (it lacks kernels); no torch in /usr/bin/python3 skips
// the PyTorch column with a note, and PyTorch on the reference BLAS keeps its figures but no ratio.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { assetDirs } from '../engine/assets';
import type { Dataset } from '../engine/data/dataset';
import { parseModel } from '../model/language/parse';
import { train } from '../engine/train/loop';
import { standardHooks } from '../engine/train/standardHooks';
import type { TrainingHook } from '../engine/train/hooks';
import { chooseWorkers } from '../engine/train/parallel/workerCount';
import { setDirectInput } from '../engine/train/kernels/conv2dBackpropInput';
import { setDenseOp } from '../engine/train/kernels/denseOp';
import { setSoftmaxGradKernel } from '../engine/train/kernels/softmaxGrad';
import { neverCancelled } from '../common/cancellation';
import { makeRng } from '../common/random';
import { fairTorchReference, PYTHON, TORCH_BASE_ENV, type TorchReference } from './torchReference';
import { cliSpeed } from './cliSpeed';
import { engineForms, type EngineForms } from './torchEngineForms';

const root = join(__dirname, '..');
/** `--cpu --input-grad`: the CNN only, also with its input gradient as dy·Wᵀ + col2im (the direct kernel's gain). */
const MODELS = process.argv.includes('--input-grad') ? ['cnn'] as const : process.argv.includes('--dense-ops') ? ['mlp'] as const : ['mlp', 'cnn'] as const;
const smoke = process.argv.includes('--smoke');
/** --cpu: samples per CPU second of the training process (PyTorch's too), best of the processes: on a
 *  machine other processes load, the clock moves 3x between runs and CPU time barely. One worker only
 *  (a second worker's thread would add its CPU time to this process's). */
const cpuMode = process.argv.includes('--cpu');
const BATCHES = smoke ? [64] : [64, 256];
/** What failed, for --smoke's exit code (a full run prints "fails" in the table and goes on). */
const errors: string[] = [];

function randomData(shape: number[], n: number): Dataset {
  const rng = makeRng(1);
  const size = shape.reduce((a, b) => a * b, 1);
  return {
    name: 'random', shape, classes: 10, task: 'multiclass', n,
    x: Float32Array.from({ length: n * size }, () => rng()),
    y: Float32Array.from({ length: n }, () => Math.floor(rng() * 10)),
  };
}

function benchSpec(model: string, batch: number, epochs: number, workers: string) {
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8')
    .replace('batchSize: 64', `batchSize: ${batch}, workers: ${workers}`).replace('epochs: 4', `epochs: ${epochs}`);
  const parsed = parseModel(text, { checkData: false });
  if (!parsed.spec) throw new Error(`${model}: ${JSON.stringify(parsed.diagnostics)}`);
  return parsed.spec;
}

/**
 * Epochs of 40 batches timed after the first (warm-up): as many steps as PyTorch's reference times
 * (bench/torch_reference.py: 400 for the MLP, 100 for the CNN). V8 compiles tfjs's JavaScript over the
 * first few hundred steps: a 0.6 ms MLP step ran its epochs 2-4 (steps 41-160) 10-25% slower than
 * from epoch 8 on (main thread's CPU time, docs/performance.md), so three epochs timed the warm-up.
 */
const TIMED_EPOCHS = { mlp: 10, cnn: 3 } as const;

/** Median samples/s of the epochs after the first (warm-up), and the median of epochs 2-4 alone. */
async function measureOurs(model: string, batch: number, backend: 'wasm' | 'cpu', workers: string): Promise<[number, number]> {
  // The cpu reference is ~100x slower: two short epochs (one warm-up) are enough to time it.
  const short = backend === 'cpu' || smoke;
  // CPU time: more, shorter epochs (20 batches), and the best of them.
  const spec = benchSpec(model, batch, short ? 2 : cpuMode ? 12 : 1 + TIMED_EPOCHS[model as 'mlp' | 'cnn'], workers);
  const n = short ? batch * 2 : batch * (cpuMode ? 20 : 40);
  const rates: number[] = [];
  const cpuMs = (): number => (process.cpuUsage().user + process.cpuUsage().system) / 1000;
  let epochCpu = 0;
  const cpuTimer: TrainingHook = {
    beforeBatch: (ctx) => { if (ctx.step % ctx.info.batchesPerEpoch === 0) epochCpu = cpuMs(); },
    afterBatch: (ctx, p) => { if (p.step % ctx.info.batchesPerEpoch === 0) rates.push((n * 1000) / (cpuMs() - epochCpu)); },
  };
  await train(spec, {
    runId: 'bench', modelFile: '', ...assetDirs(root), backend, token: neverCancelled, data: randomData(spec.model.input, n),
    hooks: [...standardHooks(spec), ...(cpuMode ? [cpuTimer] : [])],
    sink: { started: () => {}, batch: () => {}, epoch: (e) => void (cpuMode || rates.push(e.samplesPerSec)), log: () => {} },
  });
  rates.shift();
  if (cpuMode) return [Math.max(...rates), NaN];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
  return [median(rates), median(rates.slice(0, 3))];
}

/** What the bench timed before it timed as many steps as PyTorch's: epochs 2-4 (steps 41-160), by model and batch. */
const early = new Map<string, number[]>();

/** Median of `repeats` fresh processes: both sides vary by ±20% from run to run on this machine. */
const REPEATS = smoke ? 1 : 3;
function child(args: string[], env: NodeJS.ProcessEnv = {}, repeats = REPEATS, expectedFailure?: RegExp, earlyKey?: string): number {
  const [cmd, ...rest] = args as [string, ...string[]];
  const values: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const r = spawnSync(cmd, rest, { encoding: 'utf8', env: { ...process.env, ...env } });
    if (r.status !== 0) {
      const why = `${r.stderr ?? ''}${r.error?.message ?? ''}`;
      if (!expectedFailure?.test(why)) errors.push(`${rest.filter((a) => !a.startsWith('-') && a !== 'tsx').map((a) => a.split('/').pop()).join(' ')}${env.MODEL_LAB_STOCK_KERNELS ? ' (stock)' : ''}: ${why.trim().split('\n').slice(-3).join(' | ').slice(-400)}`);
      return NaN;
    }
    const [value, firstEpochs] = (r.stdout.trim().split('\n').pop() ?? '').split(' ').map(Number);
    values.push(value as number);
    if (earlyKey && firstEpochs !== undefined && !Number.isNaN(firstEpochs)) early.set(earlyKey, [...(early.get(earlyKey) ?? []), firstEpochs]);
  }
  return cpuMode ? Math.max(...values) : (values.sort((a, b) => a - b)[Math.floor(repeats / 2)] as number);
}

const ours = (m: string, b: number, backend: string, workers: string, env: NodeJS.ProcessEnv = {}, repeats = REPEATS, expectedFailure?: RegExp) =>
  child([process.execPath, '--import', 'tsx', __filename, '--child', m, String(b), backend, workers, ...(smoke ? ['--smoke'] : []), ...(cpuMode ? ['--cpu'] : [])], env, repeats, expectedFailure,
    backend === 'wasm' && !env.MODEL_LAB_STOCK_KERNELS ? `${m} ${b} ${workers}${env.MODEL_LAB_BENCH_DENSE ? ' (dense as tfjs ops)' : ''}` : undefined);
/** The wasm backend as shipped cannot train convolutions (engine/train/loop.ts names the kernel): not an error of ours. */
/** The PyTorch engine's forms (bench/torchEngineForms.ts), median of REPEATS; a failure is an error, not a number. */
function pytorchEngine(m: string, b: number, env: Record<string, string>): EngineForms | undefined {
  try {
    const runs = Array.from({ length: REPEATS }, () => engineForms(m, b, smoke ? 2 : 1 + TIMED_EPOCHS[m as keyof typeof TIMED_EPOCHS], smoke, env));
    const median = (k: keyof EngineForms): number => runs.map((r) => r[k]).sort((x, y) => x - y)[Math.floor(runs.length / 2)] as number;
    return { quiet: median('quiet'), streamed: median('streamed'), stats: median('stats'), messages: runs[0]?.messages ?? 0 };
  } catch (e) {
    errors.push(`PyTorch engine ${m} ${b}: ${(e as Error).message}`);
    return undefined;
  }
}
const pct = (v: number, ref: number): string => (Number.isFinite(v / ref) ? `${Math.round((1 - v / ref) * 100)}%` : '-');

const STOCK_LACKS_KERNEL = /The wasm backend has no \w+ kernel/;

/** The PyTorch reference, said out loud: which BLAS and how fast, or why no ratio is printed. */
function torchReference(): { env: Record<string, string> | undefined; ratios: boolean; ref: TorchReference } {
  const ref = fairTorchReference(root);
  if (ref.ok) {
    console.log(`reference: ${ref.description}`);
    return { env: ref.env, ratios: true, ref };
  }
  console.log(`note: ${ref.probe ? 'no ratios' : 'PyTorch reference skipped'}: ${ref.why}`);
  return { env: ref.probe ? TORCH_BASE_ENV : undefined, ratios: false, ref };
}

function hostSide(): void {
  console.log('\nextension host while a run streams (bench/hostLag.ts: TrainingRun + the real worker, MNIST subset, batch 64)');
  console.log(`${'model'.padEnd(6)}${'workers'.padStart(8)}${'idle p50/p99 ms'.padStart(17)}${'lag p50/p99 ms'.padStart(16)}${'batch end → host p50/p99 ms'.padStart(29)}`);
  const runs = smoke ? [['cnn', '1'], ['cnn', '2']] as const : [['cnn', '1'], ['cnn', '2'], ['mlp', '1']] as const;
  for (const [model, workers] of runs) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, 'hostLag.ts'), model, workers, ...(smoke ? ['--smoke'] : [])], { encoding: 'utf8' });
    const line = r.stdout.trim().split('\n').pop() ?? '';
    if (r.status !== 0 || !line.startsWith('{')) {
      console.log(`${model.padEnd(6)}${workers.padStart(8)}  failed: ${(r.stderr || line).slice(-300)}`);
      errors.push(`hostLag ${model} ${workers}: ${(r.stderr || line).slice(-300)}`);
      continue;
    }
    const m = JSON.parse(line) as Record<string, number>;
    // A run that failed in its worker (a moved module, a kernel missing) still prints its line:
    // without a status and batches it measured nothing, and the bench must say so, not print NaN.
    if ((m.status as unknown) !== 'completed' || !(m.batches! > 0)) {
      console.log(`${model.padEnd(6)}${workers.padStart(8)}  failed: ${line.slice(0, 300)}`);
      errors.push(`hostLag ${model} ${workers}: ${line.slice(0, 300)} ${r.stderr.slice(-300)}`);
      continue;
    }
    const pair = (a: number | undefined, b: number | undefined) => `${(a ?? NaN).toFixed(1)} / ${(b ?? NaN).toFixed(1)}`;
    console.log(`${model.padEnd(6)}${workers.padStart(8)}${pair(m.idleP50, m.idleP99).padStart(17)}${pair(m.lagP50, m.lagP99).padStart(16)}${pair(m.metricP50, m.metricP99).padStart(29)}`);
  }
}

async function main(): Promise<void> {
  const [, , mode, model, batch, backend, workers] = process.argv;
  if (mode === '--child') {
    if (process.env.MODEL_LAB_BENCH_INPUT_GRAD === 'product') setDirectInput(false);
    if (process.env.MODEL_LAB_BENCH_DENSE === 'tfjs') {
      setDenseOp(false);
      setSoftmaxGradKernel(false);
    }
    process.stdout.write((await measureOurs(model as string, Number(batch), backend as 'wasm' | 'cpu', workers ?? '1')).join(' '));
    return;
  }
  const fmt = (v: number) => (Number.isNaN(v) ? 'fails' : Math.round(v).toLocaleString('en-US')).padStart(10);
  const torchRef = torchReference();
  if (process.argv.includes('--cli')) {
    // End to end through `model-lab train` on MNIST, beside PyTorch on the same digits (bench/cliSpeed.ts).
    errors.push(...cliSpeed(root, torchRef.ref, smoke));
    report();
    return;
  }
  if (cpuMode) {
    cpuTable(torchRef.env, torchRef.ratios);
    report();
    return;
  }
  const ratio = (a: number, b: number) => (torchRef.ratios ? (a / b).toFixed(2) : 'no').padStart(7);
  const torchOk = torchRef.env !== undefined;
  console.log(`samples/s (training steps, median of ${REPEATS} processes${smoke ? '; SMOKE: a few batches, figures meaningless' : ''}); ${availableParallelism()} cores`);
  console.log('ratio = Model Lab wasm / PyTorch 1 thread, for 1 and 2 workers; auto = the workers train.workers: auto picks');
  console.log('engine: pytorch = the PyTorch engine (its runner streaming the protocol, statistics on, 1 thread) / PyTorch, costs below');
  console.log(`${'model'.padEnd(6)}${'batch'.padStart(6)}${'1 worker'.padStart(10)}${'2 workers'.padStart(10)}${'auto'.padStart(5)}${'stock'.padStart(10)}${'cpu'.padStart(10)}${'PyTorch'.padStart(10)}${'ratio 1'.padStart(8)}${'ratio 2'.padStart(8)}${'engine: pytorch'.padStart(16)}${'ratio'.padStart(7)}`);
  const engineCosts: string[] = [];
  for (const m of MODELS) {
    for (const b of BATCHES) {
      const one = ours(m, b, 'wasm', '1');
      const two = ours(m, b, 'wasm', '2');
      const auto = chooseWorkers(benchSpec(m, b, 1 + TIMED_EPOCHS[m], 'auto'), b * 40, 'wasm').workers;
      const stock = ours(m, b, 'wasm', '1', { MODEL_LAB_STOCK_KERNELS: '1' }, 1, STOCK_LACKS_KERNEL);
      const cpu = smoke ? NaN : ours(m, b, 'cpu', '1', {}, 1);
      const steps = smoke ? '20' : m === 'mlp' ? '400' : '100';
      const torch = torchOk ? child([PYTHON, join(root, 'bench', 'torch_reference.py'), m, String(b), steps], torchRef.env) : NaN;
      const pt = torchOk ? pytorchEngine(m, b, torchRef.env ?? {}) : undefined;
      if (pt) engineCosts.push(`${m} b${b}: loop ${fmt(pt.quiet).trim()}, streamed ${fmt(pt.streamed).trim()} (${pct(pt.streamed, pt.quiet)}), statistics ${fmt(pt.stats).trim()} (${pct(pt.stats, pt.streamed)}), ${pt.messages} messages`);
      console.log(`${m.padEnd(6)}${String(b).padStart(6)}${fmt(one)}${fmt(two)}${String(auto).padStart(5)}${fmt(stock)}${smoke ? '   skipped' : fmt(cpu)}${torchOk ? fmt(torch) : '   skipped'.padStart(10)}${ratio(one, torch).padStart(8)}${ratio(two, torch).padStart(8)}${(pt ? fmt(pt.stats) : '   skipped').padStart(16)}${ratio(pt?.stats ?? NaN, torch).padStart(7)}`);
      if (m === 'mlp' && process.argv.includes('--dense-ops')) {
        const ops = ours(m, b, 'wasm', '1', { MODEL_LAB_BENCH_DENSE: 'tfjs' });
        console.log(`${'  dense as tfjs ops'.padEnd(22)}${fmt(ops)}${' '.repeat(55)}${ratio(ops, torch).padStart(8)}`);
      }
    }
  }
  if (engineCosts.length) console.log(`\nthe PyTorch engine's costs (samples/s; in brackets how much slower than the form before): ${engineCosts.join('; ')}`);
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  if (!smoke) console.log(`\nthe same, epochs 2-4 only (steps 41-160, still in V8's warm-up; what the bench timed before): ${[...early].map(([k, v]) => `${k} worker(s) ${fmt(med(v)).trim()}`).join(', ')}`);
  hostSide();
  const vsix = join(root, 'dist-vsix', 'model-lab.vsix');
  console.log(`\n.vsix: ${existsSync(vsix) ? `${(statSync(vsix).size / 1024).toFixed(0)} KB (${vsix})` : 'not built (npm run package)'}`);
  report();
}

/** --cpu: one worker against PyTorch, both in samples per CPU second. */
function cpuTable(torchEnv: Record<string, string> | undefined, ratios: boolean): void {
  console.log(`samples per CPU second (training steps, ${smoke ? 'SMOKE: a few batches, figures meaningless' : `best epoch of 11, best of ${REPEATS} processes`}; PyTorch in process CPU time); load ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`${'model'.padEnd(6)}${'batch'.padStart(6)}${'1 worker'.padStart(10)}${'PyTorch'.padStart(10)}${'ratio'.padStart(8)}`);
  for (const m of MODELS) {
    for (const b of BATCHES) {
      const one = ours(m, b, 'wasm', '1');
      const steps = smoke ? '20' : m === 'mlp' ? '400' : '100';
      const torch = torchEnv ? child([PYTHON, join(root, 'bench', 'torch_reference.py'), m, String(b), steps, 'cpu'], torchEnv) : NaN;
      const fmt = (v: number) => (Number.isNaN(v) ? '-' : Math.round(v).toLocaleString('en-US')).padStart(10);
      console.log(`${m.padEnd(6)}${String(b).padStart(6)}${fmt(one)}${fmt(torch)}${(ratios && torchEnv ? (one / torch).toFixed(2) : 'no').padStart(8)}`);
      if (m === 'mlp' && process.argv.includes('--dense-ops')) {
        // The same step with dense layers and Softmax's gradient as tfjs's own ops (before engine/train/kernels/denseOp.ts).
        const ops = ours(m, b, 'wasm', '1', { MODEL_LAB_BENCH_DENSE: 'tfjs' });
        console.log(`${'  dense as tfjs ops'.padEnd(12)}${fmt(ops)}${fmt(torch)}${(ratios && torchEnv ? (ops / torch).toFixed(2) : 'no').padStart(8)}`);
      }
      if (m === 'cnn' && process.argv.includes('--input-grad')) {
        // The same step with the input gradient as dy·Wᵀ + col2im instead of the direct kernel.
        const product = ours(m, b, 'wasm', '1', { MODEL_LAB_BENCH_INPUT_GRAD: 'product' });
        console.log(`${'  dx as dy·Wᵀ + col2im'.padEnd(12)}${fmt(product)}${fmt(torch)}${(ratios && torchEnv ? (product / torch).toFixed(2) : 'no').padStart(8)}`);
      }
    }
  }
}

/** What failed; with --smoke (CI), a failure is the exit code. */
function report(): void {
  if (errors.length) {
    console.log(`\n${errors.length} path(s) failed:\n${errors.map((e) => `  ${e}`).join('\n')}`);
    if (smoke) process.exitCode = 1;
  }
}

void main();
