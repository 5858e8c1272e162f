// The PyTorch engine's three forms on one bench model (bench/torch_engine.py): its loop with messages
// dropped, the runner process streaming the protocol, and the same with statistics. Shared by
// `npm run bench:torch` (its own table, repeats of both sides) and `npm run bench` (the PyTorch-engine
// column beside the tfjs engine and raw PyTorch).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../model/language/parse';
import { makeRng } from '../common/random';

const root = join(__dirname, '..');
export const TORCH_PYTHON = process.env.MODELLAB_PYTHON ?? '/usr/bin/python3';

/** samples/s of each form (epochs 2.. of 40 batches), and how many messages the statistics run sent. */
export interface EngineForms { quiet: number; streamed: number; stats: number; messages: number }

/** The model file's spec as the host hands it to the runner: no source tree, no ranges. */
function specFor(model: string, batch: number, epochs: number): unknown {
  const text = readFileSync(join(root, 'bench', 'models', `${model}.model.yaml`), 'utf8')
    .replace('batchSize: 64', `batchSize: ${batch}`).replace('epochs: 4', `epochs: ${epochs}`);
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

/** Runs a Python script of bench/ with the torch environment; its trimmed stdout. */
export function runTorch(args: string[], env: Record<string, string>): string {
  const r = spawnSync(TORCH_PYTHON, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`);
  return r.stdout.trim();
}

/** The engine's forms on `model` at `batch`, one thread, 40 batches an epoch (4 with `smoke`). */
export function engineForms(model: string, batch: number, epochs: number, smoke: boolean, env: Record<string, string>): EngineForms {
  const dir = mkdtempSync(join(tmpdir(), 'model-lab-bench-torch-'));
  try {
    const spec = specFor(model, batch, epochs) as { model: { input: number[] } };
    writeFileSync(join(dir, 'spec.json'), JSON.stringify(spec));
    const data = writeData(dir, spec.model.input, batch * (smoke ? 4 : 40));
    return JSON.parse(runTorch([join(root, 'bench', 'torch_engine.py'), join(dir, 'spec.json'), data, '1'], env)) as EngineForms;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
