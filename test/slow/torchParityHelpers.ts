// What the PyTorch parity tests share: Python with torch (or a failure that says how to get it),
// the tfjs side of a run written in the runner's file formats (docs/engines.md: weights, data), the
// loop's batch order, and the PyTorch side run on the same files by torchParitySteps.py.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { parseModel } from '../../model/language/parse';
import type { ModelSpec } from '../../model/language/model';
import { buildNetwork } from '../../engine/train/buildModel';
import { writeWeightsFiles } from '../../engine/train/weightsFiles';
import { makeOptimizer } from '../../engine/train/optimizer';
import { lossFn } from '../../engine/train/losses';
import { trainStep } from '../../engine/train/trainStep';
import { BatchAssembler, encode, type EncodedSet } from '../../engine/train/tensors';
import { loadDataset } from '../../engine/data/load';
import { useBackend } from '../../engine/train/backend';
import { deriveSeed, makeRng, shuffleInPlace } from '../../common/random';
import { readRun } from '../../engine/runs/runStore';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';
import { torchPython } from './torchPython';

export const STEPS = 50;

/** The wasm backend the tfjs engine trains on (call in a before hook). */
export const useWasm = (): Promise<unknown> => useBackend('wasm', wasmDir);

/** Fails the test, saying what to install, when no Python imports torch: never a skip. */
export function requireTorch(): void {
  try {
    torchPython();
  } catch (e) {
    assert.fail(`The PyTorch engine's tests need Python with torch. ${(e as Error).message}`);
  }
}

/** `model-lab train FILE --engine E --json` as a user runs it, recorded under runsDir: the run as recorded (it must complete). */
export function cliRun(file: string, engine: 'tfjs' | 'pytorch', runsDir: string): NonNullable<ReturnType<typeof readRun>> & { runDir: string } {
  const args = ['--import', 'tsx', join(repo, 'cli', 'run.ts'), 'train', file, '--engine', engine, '--json', '--runs-dir', runsDir];
  if (engine === 'pytorch') args.push('--python', torchPython());
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, `${engine} on ${file}: ${r.stderr}`);
  const out = JSON.parse(r.stdout) as { status: string; runDir: string };
  assert.equal(out.status, 'completed');
  const run = readRun(out.runDir);
  assert.ok(run, `${engine}: the run was recorded`);
  return { ...run, runDir: out.runDir };
}

export function runPython(args: string[]): unknown {
  const r = spawnSync(torchPython(), [join(repo, 'test/slow/torchParitySteps.py'), ...args], {
    encoding: 'utf8', timeout: 240_000, env: { ...process.env, PYTHONPATH: join(repo, 'engines/pytorch') },
  });
  assert.equal(r.status, 0, `python failed: ${r.stderr || String(r.error)}`);
  return JSON.parse(r.stdout);
}

export function parse(text: string): ModelSpec {
  const r = parseModel(text);
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  assert.ok(r.spec);
  return r.spec;
}

/** The spec as the host hands it to the runner: plain JSON, without the source tree. */
export function plain(spec: ModelSpec): string {
  const { source: _source, ...rest } = spec;
  return JSON.stringify(rest);
}

/** The model's weights as the runner reads them (engine/train/weightsFiles.ts), as dir/weights.json + .bin. */
export function writeWeights(dir: string, model: tfl.LayersModel, spec: ModelSpec): void {
  writeWeightsFiles(join(dir, 'weights.json'), model, spec.model.layers);
}

export function concat(parts: Float32Array[]): Buffer {
  const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return Buffer.from(all.buffer);
}

export function writeData(dir: string, set: EncodedSet, task: string, classes: number): void {
  const train = { n: set.n, xShape: set.xShape, yShape: [set.yWidth], x: [0, set.x.length], y: [set.x.length, set.y.length] };
  writeFileSync(join(dir, 'data.json'), JSON.stringify({ task, classes, train, val: { n: 0, xShape: set.xShape, yShape: [set.yWidth], x: [0, 0], y: [0, 0] } }));
  writeFileSync(join(dir, 'data.bin'), concat([set.x, set.y]));
}

/** The first `steps` batches in loop.ts's order: one order array, reshuffled in place every epoch. */
export function batchOrder(n: number, batchSize: number, seed: number, steps: number): Int32Array[] {
  const rng = makeRng(deriveSeed(seed, 7));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const out: Int32Array[] = [];
  while (out.length < steps) {
    shuffleInPlace(order, rng);
    for (let b = 0; b * batchSize < n && out.length < steps; b++) out.push(order.slice(b * batchSize, Math.min((b + 1) * batchSize, n)));
  }
  return out;
}

/** One weight after training on both engines, in Keras layout. */
export interface TrainedWeight { name: string; initial: Float32Array; tfjs: Float32Array; torch: Float32Array }

/** A weights pair (docs/engines.md) as named float32 arrays. */
function readWeights(jsonPath: string): Map<string, Float32Array> {
  const meta = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weights: { layer: string; name: string; offset: number; length: number }[] };
  const raw = readFileSync(jsonPath.replace(/\.json$/, '.bin'));
  const all = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
  return new Map(meta.weights.map((w) => [`${w.layer}.${w.name}`, all.slice(w.offset, w.offset + w.length)]));
}

/** Per-step losses of tfjs and of PyTorch on the same start and batches (`steps` of them), and
 *  with `trained` every weight before the first step and after the last on both. */
export function bothEngines(spec: ModelSpec, steps = STEPS, trained = false): { tfjs: number[]; torch: number[]; weights: TrainedWeight[] } {
  const dir = mkdtempSync(join(tmpdir(), 'torch-parity-'));
  const before = tf.memory().numTensors;
  try {
    const ds = loadDataset(spec.data, datasetsDir);
    const last = spec.model.layers[spec.model.layers.length - 1];
    const set = encode(ds, spec.model.input, Number(last?.config.units ?? ds.classes));
    const model = buildNetwork(spec.model, spec.train.seed);
    writeWeights(dir, model, spec);
    writeData(dir, set, ds.task, ds.classes);
    const order = batchOrder(set.n, spec.train.batchSize, spec.train.seed, steps);
    writeFileSync(join(dir, 'batches.json'), JSON.stringify({ steps: order.map((s) => Array.from(s)) }));
    writeFileSync(join(dir, 'spec.json'), plain(spec));
    const optimizer = makeOptimizer(spec.train, 'wasm');
    const batches = new BatchAssembler(set);
    const loss = lossFn(spec.train.loss);
    const tfjs = order.map((idx) => trainStep(model, optimizer, loss, batches, idx, false)[0]);
    if (trained) {
      mkdirSync(join(dir, 'tfjs'));
      writeWeights(join(dir, 'tfjs'), model, spec);
    }
    optimizer.dispose();
    model.dispose();
    assert.ok(tf.memory().numTensors <= before, `no tensors left: ${before} -> ${tf.memory().numTensors}`);
    const torch = (runPython(trained ? [dir, '--save'] : [dir]) as { losses: number[] }).losses;
    if (!trained) return { tfjs, torch, weights: [] };
    const [start, a, b] = [readWeights(join(dir, 'weights.json')), readWeights(join(dir, 'tfjs', 'weights.json')), readWeights(join(dir, 'trained.json'))];
    const none = new Float32Array(0);
    return { tfjs, torch, weights: [...a].map(([name, values]) => ({ name, initial: start.get(name) ?? none, tfjs: values, torch: b.get(name) ?? none })) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every step's losses agree within `tolerance` (relative); the worst gap goes to the test's log. */
export function assertSameLosses(t: { diagnostic(m: string): void }, what: string, tfjs: number[], torch: number[], tolerance: number): void {
  assert.equal(torch.length, tfjs.length, `${what}: steps run by each engine`);
  const rel = tfjs.map((v, i) => Math.abs((torch[i] as number) - v) / Math.max(Math.abs(v), 1e-8));
  const worst = rel.reduce((a, b) => Math.max(a, b), 0);
  const at = rel.indexOf(worst);
  if (process.env.PARITY_DEBUG) t.diagnostic(rel.map((r) => r.toExponential(1)).join(' '));
  t.diagnostic(`${what}: worst relative gap ${worst.toExponential(2)} at step ${at}; loss ${tfjs[0]} -> ${tfjs[tfjs.length - 1]}`);
  assert.ok(worst <= tolerance, `${what}, step ${at}: tfjs ${tfjs[at]}, torch ${torch[at]} (relative ${worst.toExponential(2)} > ${tolerance})`);
}
