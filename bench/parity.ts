// Trains one example on one engine through the CLI (`model-lab train FILE --engine E --json`), at a
// chosen seed, and reads its final validation metric: the measurement behind `npm run bench:parity`
// and test/slow/enginesParity.test.ts. Through the CLI, not the library, because that is the path a
// user takes: the host's data loading, the runner's process, the JSON both engines print.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import type { EpochPoint } from '../protocol/run';
import { torchPython } from '../test/slow/torchPython';

export const root = join(__dirname, '..');
/** The value after `--name` on the bench's command line. */
export function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
/** The CLI from source, as the other CLI tests run it: no build to go stale. */
export const cliArgs = ['--import', 'tsx', join(root, 'cli', 'run.ts')];
export type Engine = 'tfjs' | 'pytorch';

/** What one CLI run printed, cut to what parity compares. */
export interface RunOutcome {
  status: string;
  /** valAccuracy for classification, valLoss for regression; undefined when the run has none. */
  metric?: number;
  samplesPerSec: number;
  seconds: number;
  error?: string;
}

/** What `model-lab train --json` prints, cut to what the benches read. */
export interface CliJson {
  status: string;
  error?: string;
  final?: Record<string, number>;
  samplesPerSec: number;
  epochs: EpochPoint[];
  /** The run folder, when the run was recorded. */
  runDir?: string;
  diagnostics?: { code: string; message: string }[];
}

export interface Example { file: string; name: string; metric: 'valAccuracy' | 'valLoss'; epochs: number; failsOnPurpose: boolean }

/** Examples that fail on purpose: parity is that both engines fail. */
const FAILS_ON_PURPOSE = new Set(['inside/nan-loss.model.yaml']);

/** Every declarative example with data. Model-only files (architectures/) have no data, and the
 *  JavaScript model files build tfjs layers in code, which only the tfjs engine can run. */
export function examplesWithData(): Example[] {
  const dir = join(root, 'examples');
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'architectures' ? [] : walk(join(d, e.name))) : /\.model\.ya?ml$/.test(e.name) ? [join(d, e.name)] : []);
  return walk(dir).sort().map((file) => exampleOf(file, dir));
}

/** A model file as an example to train, named by its path under `dir`. */
export function exampleOf(file: string, dir: string): Example {
  const text = readFileSync(file, 'utf8');
  const name = relative(dir, file);
  const loss = /^\s+loss:\s*(\w+)/m.exec(text)?.[1] ?? '';
  const regression = /^(meanSquaredError|meanAbsoluteError|huber|logCosh|meanSquaredLogarithmicError)/i.test(loss);
  const epochs = Number(/^\s+epochs:\s*(\d+)/m.exec(text)?.[1] ?? 0);
  return { file, name, metric: regression ? 'valLoss' as const : 'valAccuracy' as const, epochs, failsOnPurpose: FAILS_ON_PURPOSE.has(name) };
}

/** The example's text with `train.seed` set (and its epochs when `epochs` is given). */
export function withSeed(text: string, seed: number, epochs?: number): string {
  if (!/^(\s+seed:\s*)\d+/m.test(text)) throw new Error('the example names no train.seed to vary');
  let out = text.replace(/^(\s+seed:\s*)\d+/m, `$1${seed}`);
  if (epochs !== undefined) out = out.replace(/^(\s+epochs:\s*)\d+/m, `$1${epochs}`);
  return out;
}

/** Runs the CLI and resolves with what it printed; never rejects (a crash is the last line of its
 *  stderr as the error, with no JSON). */
function runCli(file: string, engine: Engine, timeoutMs: number): Promise<{ json?: CliJson; seconds: number; error?: string }> {
  const args = [...cliArgs, 'train', file, '--engine', engine, '--json', '--no-record'];
  if (engine === 'pytorch') args.push('--python', torchPython());
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const seconds = (Date.now() - started) / 1000;
      try {
        resolve({ json: JSON.parse(stdout) as CliJson, seconds });
      } catch {
        resolve({ seconds, error: stderr.trim().split('\n').filter((l) => !/: (warning|info): /.test(l)).pop() ?? `exit ${code}` });
      }
    });
  });
}

/** Trains `example` at `seed` on `engine`; the copy with that seed sits beside the original (its
 *  data paths are relative to it) under a hidden name, removed afterwards. The outcome carries the
 *  CLI's whole JSON for the benches that read more than the metric. */
export async function trainExample(example: Example, seed: number, engine: Engine, opts: { epochs?: number; timeoutMs?: number } = {}): Promise<RunOutcome & { json?: CliJson }> {
  const copy = join(dirname(example.file), `.parity-${process.pid}-${engine}-${seed}-${basename(example.file)}`);
  writeFileSync(copy, withSeed(readFileSync(example.file, 'utf8'), seed, opts.epochs));
  try {
    const { json, seconds, error } = await runCli(copy, engine, opts.timeoutMs ?? 20 * 60_000);
    if (!json) return { status: 'crashed', samplesPerSec: 0, seconds, ...(error ? { error } : {}) };
    const metric = json.final?.[example.metric];
    return { status: json.status, samplesPerSec: json.samplesPerSec, seconds, json, ...(metric !== undefined ? { metric } : {}), ...(json.error ? { error: json.error } : {}) };
  } finally {
    rmSync(copy, { force: true });
  }
}

/** Runs the tasks `jobs` at a time, in order of submission. */
export async function pool<T>(tasks: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, width) }, worker));
  return results;
}

export const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** The standard error of the difference of the two means, in the verdict's units: how far the
 *  engines' means fall apart by the seeds alone (small validation sets move by whole examples). */
export function differenceSE(example: Example, tfjs: RunOutcome[], torch: RunOutcome[]): number {
  const variance = (xs: number[]): number => { const m = mean(xs); return xs.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, xs.length - 1); };
  const [a, b] = [tfjs.map((r) => r.metric ?? NaN), torch.map((r) => r.metric ?? NaN)];
  const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length);
  return example.metric === 'valAccuracy' ? se * 100 : (se / Math.max(mean(a), mean(b))) * 100;
}

/** Parity of one example over its seeds: accuracies within `points` percentage points; for a
 *  regression's validation loss, within `points`% of the larger mean (a loss has no fixed scale);
 *  an example failing on purpose must fail on both engines. */
export function verdict(example: Example, tfjs: RunOutcome[], torch: RunOutcome[], points = 2): { pass: boolean; tfjsMean: number; torchMean: number; difference: number; note: string } {
  if (example.failsOnPurpose) {
    const pass = [...tfjs, ...torch].every((r) => r.status === 'failed');
    return { pass, tfjsMean: NaN, torchMean: NaN, difference: NaN, note: pass ? 'both fail as meant' : 'expected both to fail' };
  }
  const bad = [...tfjs, ...torch].find((r) => r.status !== 'completed' || r.metric === undefined || !Number.isFinite(r.metric));
  const tfjsMean = mean(tfjs.map((r) => r.metric ?? NaN));
  const torchMean = mean(torch.map((r) => r.metric ?? NaN));
  if (bad) return { pass: false, tfjsMean, torchMean, difference: NaN, note: `${bad.status}: ${bad.error ?? 'no metric'}` };
  if (example.metric === 'valAccuracy') {
    const difference = (torchMean - tfjsMean) * 100;
    return { pass: Math.abs(difference) <= points, tfjsMean, torchMean, difference, note: 'points' };
  }
  const difference = ((torchMean - tfjsMean) / Math.max(tfjsMean, torchMean)) * 100;
  return { pass: Math.abs(difference) <= points, tfjsMean, torchMean, difference, note: '% of loss' };
}
