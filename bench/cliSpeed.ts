// `npm run bench -- --cli`: training end to end, as a user runs it. `model-lab train` (the bundled
// dist/cli.js, built first) trains the bench MLP and CNN on the shipped MNIST subset (4,000 digits to
// train, 1,000 to validate) with accuracy, validation, statistics and the run record on disk, and
// bench/torch_mnist.py trains the same networks on the same digits in PyTorch (one thread, the fair
// BLAS of torchReference.ts), each in fresh processes, in the same run. Two ratios: the training
// steps (each side's epochs after the first, median samples/s) and the whole command (process start
// to exit: start-up, data loading, validation, statistics, records; samples trained / seconds).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON, type TorchReference } from './torchReference';

interface Side {
  /** Median training samples/s of the epochs after the first. */
  steps: number;
  /** Samples trained per second of the whole process. */
  whole: number;
  valAccuracy: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

/** The bench model on MNIST with what an example asks for: accuracy, a validation split, default statistics. */
function modelFile(root: string, dir: string, model: string, batch: number, epochs: number): string {
  let text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8')
    .replace('data: {dataset: digits, validationSplit: 0}', 'data: {dataset: mnist, validationSplit: 0.2}')
    .replace('batchSize: 64', `batchSize: ${batch}, metrics: [accuracy]`).replace('epochs: 4', `epochs: ${epochs}`);
  // The shipped MNIST is 28x28x1: the MLP flattens it first, as torch_mnist.py does.
  if (model === 'mlp') text = text.replace('input: [784]\n  layers:\n', 'input: [28, 28, 1]\n  layers:\n    - flatten\n');
  const file = join(dir, `${model}-${batch}.model.yaml`);
  writeFileSync(file, text);
  return file;
}

function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv): { out: string; seconds: number; error?: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 << 20 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) return { out: '', seconds, error: `${r.stderr || r.error?.message || `exit ${r.status}`}`.trim().split('\n').slice(-3).join(' | ') };
  return { out: r.stdout, seconds };
}

function modelLab(root: string, file: string, runsDir: string): Side | string {
  const r = timed(process.execPath, [join(root, 'dist', 'cli.js'), 'train', file, '--json', '--runs-dir', runsDir], {});
  if (r.error) return r.error;
  const json = JSON.parse(r.out) as { status: string; error?: string; info: { trainSamples: number }; epochs: { samplesPerSec: number; valAccuracy?: number }[] };
  if (json.status !== 'completed') return `${json.status}: ${json.error ?? ''}`;
  return {
    steps: median(json.epochs.slice(1).map((e) => e.samplesPerSec)),
    whole: (json.info.trainSamples * json.epochs.length) / r.seconds,
    valAccuracy: json.epochs.at(-1)?.valAccuracy ?? NaN,
  };
}

function pytorch(root: string, model: string, batch: number, epochs: number, env: Record<string, string>): Side | string {
  const r = timed(PYTHON, [join(root, 'bench', 'torch_mnist.py'), model, String(batch), String(epochs), join(root, 'media', 'datasets')], env);
  if (r.error) return r.error;
  const json = JSON.parse(r.out.trim().split('\n').pop() ?? '{}') as { rates: number[]; final: { valAccuracy: number } };
  return { steps: median(json.rates.slice(1)), whole: (4000 * json.rates.length) / r.seconds, valAccuracy: json.final.valAccuracy };
}

/** Runs the comparison and prints its table; returns what failed. */
export function cliSpeed(root: string, torch: TorchReference, smoke: boolean): string[] {
  const errors: string[] = [];
  const build = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { encoding: 'utf8' });
  if (build.status !== 0) return [`npm run build failed: ${build.stderr.slice(-300)}`];
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-cli-bench-'));
  const epochsOf = (model: string) => (smoke ? 2 : model === 'mlp' ? 10 : 4);
  console.log(`\nend to end on MNIST (4,000 train / 1,000 validation): model-lab train (dist/cli.js, workers auto, accuracy, validation, statistics, run record) vs PyTorch`);
  console.log('samples/s: "steps" = median training epoch after the first; "whole" = samples trained / seconds of the whole process');
  console.log(`${'model'.padEnd(6)}${'batch'.padStart(6)}${'epochs'.padStart(7)}${'ML steps'.padStart(10)}${'ML whole'.padStart(10)}${'PT steps'.padStart(10)}${'PT whole'.padStart(10)}${'ratio steps'.padStart(12)}${'ratio whole'.padStart(12)}${'val acc ML/PT'.padStart(15)}`);
  try {
    for (const model of ['mlp', 'cnn']) {
      for (const batch of smoke ? [64] : [64, 256]) {
        const epochs = epochsOf(model);
        const ours = modelLab(root, modelFile(root, dir, model, batch, epochs), join(dir, 'runs'));
        const theirs = torch.ok ? pytorch(root, model, batch, epochs, torch.env) : 'no fair PyTorch reference';
        if (typeof ours === 'string') errors.push(`model-lab train ${model} ${batch}: ${ours}`);
        if (typeof theirs === 'string' && torch.ok) errors.push(`torch_mnist.py ${model} ${batch}: ${theirs}`);
        const o = typeof ours === 'string' ? undefined : ours;
        const t = typeof theirs === 'string' ? undefined : theirs;
        const n = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '-' : Math.round(v).toLocaleString('en-US')).padStart(10);
        const r = (a: number | undefined, b: number | undefined) => (a && b ? (a / b).toFixed(2) : '-').padStart(12);
        const acc = `${o ? o.valAccuracy.toFixed(3) : '-'}/${t ? t.valAccuracy.toFixed(3) : '-'}`;
        console.log(`${model.padEnd(6)}${String(batch).padStart(6)}${String(epochs).padStart(7)}${n(o?.steps)}${n(o?.whole)}${n(t?.steps)}${n(t?.whole)}${r(o?.steps, t?.steps)}${r(o?.whole, t?.whole)}${acc.padStart(15)}`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return errors;
}
