// `npm run bench:parity -- --shared-init`: each example at each seed trained by both engines from
// the same initial weights (the tfjs engine's loop initialises and writes them; the runner loads
// them) on the same split and batch order, through both engines' real loops. What is left between
// the engines is then float rounding (and dropout's masks, which come from each engine's own
// generator): this prints, per run, each epoch's loss and validation metric on both engines and the
// step at which their batch losses first part by 1e-3 and 1e-2 (relative), and per example the mean
// paired difference of the final metric with its standard error.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../model/language/parse';
import { loadDataset } from '../engine/data/load';
import { datasetsDir } from '../test/unit/helpers';
import { runnerRun, tfjsRun, writeSplit, type Run } from '../test/slow/torchParityRuns';
import { withSeed, type Example } from './parity';

export interface SharedStartOutcome { seed: number; tfjs?: number; torch?: number; parted3?: number; parted2?: number; steps: number; error?: string }

const fmt = (v: number | undefined, d = 4): string => (v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(d));

/** The first step at which the two engines' batch losses differ by more than `rel` (relative). */
function partsAt(a: Run, b: Run, rel: number): number | undefined {
  const i = a.batches.findIndex((p, k) => {
    const q = b.batches[k];
    return !q || Math.abs(p.loss - q.loss) > rel * Math.max(Math.abs(p.loss), 1e-8);
  });
  return i < 0 ? undefined : i + 1;
}

export async function sharedStartRun(example: Example, seed: number, log: (line: string) => void): Promise<SharedStartOutcome> {
  const parsed = parseModel(withSeed(readFileSync(example.file, 'utf8'), seed));
  if (!parsed.spec) return { seed, steps: 0, error: parsed.diagnostics.map((d) => d.message).join('; ') };
  const spec = parsed.spec;
  const dir = mkdtempSync(join(tmpdir(), 'parity-shared-'));
  try {
    const data = loadDataset(spec.data, datasetsDir);
    writeSplit(dir, spec, data);
    const tfjs = await tfjsRun(spec, data, dir);
    const torch = await runnerRun(spec, dir);
    const key = example.metric;
    log(`${example.name} seed ${seed}, from the same weights: epoch, loss tfjs/PyTorch, ${key} tfjs/PyTorch`);
    tfjs.epochs.forEach((e, i) => {
      const t = torch.epochs[i];
      log(`  ${String(e.epoch).padStart(3)}  ${fmt(e.loss)} ${fmt(t?.loss)}   ${fmt(e[key])} ${fmt(t?.[key])}`);
    });
    const [parted3, parted2] = [partsAt(tfjs, torch, 1e-3), partsAt(tfjs, torch, 1e-2)];
    log(`  batch losses part by 1e-3 at step ${parted3 ?? 'never'}, by 1e-2 at step ${parted2 ?? 'never'} of ${tfjs.batches.length}`);
    return {
      seed, steps: tfjs.batches.length, tfjs: tfjs.summary?.final?.[key], torch: torch.summary?.final?.[key],
      ...(parted3 !== undefined ? { parted3 } : {}), ...(parted2 !== undefined ? { parted2 } : {}),
    };
  } catch (e) {
    return { seed, steps: 0, error: (e as Error).message };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Mean and standard error of the paired differences (PyTorch - tfjs), in the verdict's units. */
export function pairedDifference(example: Example, runs: SharedStartOutcome[]): { mean: number; se: number } {
  const ok = runs.filter((r) => r.tfjs !== undefined && r.torch !== undefined);
  const scale = example.metric === 'valAccuracy' ? 100 : 100 / Math.max(...ok.map((r) => r.tfjs as number));
  const d = ok.map((r) => ((r.torch as number) - (r.tfjs as number)) * scale);
  const m = d.reduce((a, b) => a + b, 0) / d.length;
  const variance = d.reduce((a, x) => a + (x - m) ** 2, 0) / Math.max(1, d.length - 1);
  return { mean: m, se: Math.sqrt(variance / d.length) };
}

export async function sharedStartTable(examples: Example[], seeds: number[]): Promise<void> {
  const rows: string[] = [];
  for (const example of examples) {
    const runs: SharedStartOutcome[] = [];
    for (const seed of seeds) {
      const r = await sharedStartRun(example, seed, (l) => process.stderr.write(`${l}\n`));
      if (r.error) process.stderr.write(`${example.name} seed ${seed}: ${r.error}\n`);
      runs.push(r);
    }
    const { mean, se } = pairedDifference(example, runs);
    const parted = runs.map((r) => `${r.parted3 ?? '-'}/${r.parted2 ?? '-'}`).join(' ');
    rows.push(`| ${example.name} | ${example.metric} | ${runs.map((r) => fmt(r.tfjs)).join(' ')} | ${runs.map((r) => fmt(r.torch)).join(' ')} | ` +
      `${mean >= 0 ? '+' : ''}${mean.toFixed(1)} | ${se.toFixed(1)} | ${parted} of ${runs[0]?.steps ?? 0} |`);
  }
  console.log('| example | metric | tfjs per seed | PyTorch per seed | paired difference | SE | steps parting by 1e-3/1e-2 |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);
}
