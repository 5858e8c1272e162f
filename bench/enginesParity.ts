// `npm run bench:parity`: every example with data trained on both engines through the CLI at seeds
// 1, 2 and 3; prints example, metric, tfjs mean, PyTorch mean, difference and pass/fail, and exits 1
// when an example differs by more than 2 points (or a run fails that should not). The standard
// error of the difference (from the seeds' spread) says how much of a difference is chance.
// Options: `--only a,b` (names or parts of names), `--seeds 1,2,3`, `--jobs N` (runs at once; the
// metrics do not depend on it, only the time), `--max-epochs N` (caps examples with more epochs;
// the table says which were cut), `--shared-init` (both engines from the same initial weights, one
// run at a time: bench/sharedStart.ts).
import type { Example, RunOutcome } from './parity';
import { differenceSE, examplesWithData, mean, option, pool, trainExample, verdict } from './parity';
import { sharedStartTable } from './sharedStart';

const only = option('only')?.split(',');
const seeds = (option('seeds') ?? '1,2,3').split(',').map(Number);
const jobs = Number(option('jobs') ?? 2);
const maxEpochs = option('max-epochs') ? Number(option('max-epochs')) : undefined;

const fmt = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');

async function main(): Promise<void> {
  const started = Date.now();
  const examples = examplesWithData().filter((e) => !only || only.some((o) => e.name.includes(o)));
  if (process.argv.includes('--shared-init')) {
    await sharedStartTable(examples.filter((e) => !e.failsOnPurpose), seeds);
    console.log(`\n${((Date.now() - started) / 60_000).toFixed(1)} min`);
    return;
  }
  const cut = (e: Example): number | undefined => (maxEpochs !== undefined && e.epochs > maxEpochs ? maxEpochs : undefined);
  const runs: { example: Example; seed: number; engine: 'tfjs' | 'pytorch' }[] = [];
  for (const example of examples) for (const seed of seeds) for (const engine of ['tfjs', 'pytorch'] as const) runs.push({ example, seed, engine });
  const outcomes = await pool(runs.map((r) => async (): Promise<RunOutcome> => {
    const epochs = cut(r.example);
    const o = await trainExample(r.example, r.seed, r.engine, epochs !== undefined ? { epochs } : {});
    process.stderr.write(`${r.example.name} seed ${r.seed} ${r.engine}: ${o.status} ${fmt(o.metric ?? NaN, 4)} (${o.seconds.toFixed(0)} s)${o.error ? ` ${o.error}` : ''}\n`);
    return o;
  }), jobs);
  const header = ['example', 'metric', 'tfjs', 'pytorch', 'diff', 'SE of diff', 'result', 'tfjs s/run', 'torch s/run'];
  const rows: string[][] = [];
  let failures = 0;
  for (const example of examples) {
    const of = (engine: string): RunOutcome[] => outcomes.filter((_, i) => runs[i]?.example === example && runs[i]?.engine === engine);
    const [tfjs, torch] = [of('tfjs'), of('pytorch')];
    const v = verdict(example, tfjs, torch);
    if (!v.pass) failures++;
    const epochs = cut(example);
    rows.push([
      example.name + (epochs !== undefined ? ` (${epochs} of ${example.epochs} epochs)` : ''),
      example.failsOnPurpose ? 'status' : example.metric,
      fmt(v.tfjsMean), fmt(v.torchMean),
      Number.isFinite(v.difference) ? `${v.difference >= 0 ? '+' : ''}${v.difference.toFixed(1)} ${v.note}` : v.note,
      example.failsOnPurpose ? '-' : differenceSE(example, tfjs, torch).toFixed(1),
      v.pass ? 'pass' : 'FAIL',
      mean(tfjs.map((r) => r.seconds)).toFixed(0), mean(torch.map((r) => r.seconds)).toFixed(0),
    ]);
  }
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const r of rows) console.log(line(r));
  console.log(`\n${examples.length - failures} of ${examples.length} examples at parity (seeds ${seeds.join(', ')}); ${((Date.now() - started) / 60_000).toFixed(1)} min, ${jobs} runs at once`);
  process.exitCode = failures ? 1 : 0;
}

void main();
