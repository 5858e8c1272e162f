// `npm run bench:alarms`: how often the overfitting warning is right. Trains every example with data
// (models that generalise: a warning there is a false alarm, except on inside/overfit, made to
// overfit) and the memorising models of bench/models/memorise-* (small noisy training sets, large
// nets, trained long) at seeds 1, 2 and 3 through the CLI, and counts the runs that drew the warning.
// A run counts as overfitted when its validation loss ends at least 1.5x its best while its training
// loss ends below where it was at that best epoch: the turn the warning is for, whatever the rule's
// conditions say (a miss is counted as one). Options: `--engine
// tfjs|pytorch`, `--seeds 1,2,3`, `--jobs N`, `--only a,b`.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CliJson, Engine, Example } from './parity';
import { examplesWithData, exampleOf, option, pool, root, trainExample } from './parity';

const engine = (option('engine') ?? 'tfjs') as Engine;
const seeds = (option('seeds') ?? '1,2,3').split(',').map(Number);
const jobs = Number(option('jobs') ?? 2);
const only = option('only')?.split(',');
/** Made to overfit: the warning is meant to fire here. */
const OVERFITS = new Set(['inside/overfit.model.yaml']);

interface Outcome { example: Example; seed: number; fired: boolean; overfitted: boolean; status: string; story: string }

/** The run's end: the best and last validation loss, and the training loss at each of the two epochs. */
function ending(json: CliJson | undefined): { best: number; last: number; trainAtBest: number; trainAtLast: number } | undefined {
  const epochs = (json?.epochs ?? []).filter((e) => e.valLoss !== undefined && Number.isFinite(e.valLoss));
  const last = epochs[epochs.length - 1];
  if (!last) return undefined;
  const best = epochs.reduce((b, e) => ((e.valLoss as number) < (b.valLoss as number) ? e : b));
  return { best: best.valLoss as number, last: last.valLoss as number, trainAtBest: best.loss, trainAtLast: last.loss };
}

/** The validation loss turned up (at least 1.5x its best at the end) while the training loss fell. */
const overfitted = (end: ReturnType<typeof ending>): boolean => end !== undefined && end.last >= 1.5 * end.best && end.trainAtLast < end.trainAtBest;

async function main(): Promise<void> {
  const started = Date.now();
  const modelsDir = join(root, 'bench', 'models');
  const memorising = readdirSync(modelsDir).filter((f) => f.startsWith('memorise-')).sort().map((f) => exampleOf(join(modelsDir, f), modelsDir));
  const pick = (e: Example): boolean => !only || only.some((o) => e.name.includes(o));
  const generalising = examplesWithData().filter((e) => !e.failsOnPurpose && pick(e));
  const all = [...generalising, ...memorising.filter(pick)];
  const outcomes = await pool(all.flatMap((example) => seeds.map((seed) => async (): Promise<Outcome> => {
    const r = await trainExample(example, seed, engine);
    const warning = r.json?.diagnostics?.find((d) => d.code === 'overfitting');
    const end = ending(r.json);
    const o = { example, seed, fired: Boolean(warning), overfitted: overfitted(end), status: r.status, story: /^Overfitting from epoch \d+: (.*?)\. [A-Z]/.exec(warning?.message ?? '')?.[1] ?? '' };
    const fit = end ? ` (validation loss best ${end.best.toFixed(3)}, last ${end.last.toFixed(3)}; training loss then ${end.trainAtBest.toFixed(3)}, last ${end.trainAtLast.toFixed(3)})` : '';
    process.stderr.write(`${example.name} seed ${seed}: ${r.status}${fit}${o.overfitted ? ' overfitted' : ''}${o.fired ? `; warning: ${o.story}` : ''}\n`);
    return o;
  })), jobs);
  const of = (set: Example[]): Outcome[] => outcomes.filter((o) => set.includes(o.example));
  const fired = (os: Outcome[]): string => `${os.filter((o) => o.fired).length} of ${os.length}`;
  const falseAlarms = of(generalising.filter((e) => !OVERFITS.has(e.name)));
  const overfits = of(generalising.filter((e) => OVERFITS.has(e.name)));
  const turned = of(memorising).filter((o) => o.overfitted);
  console.log(`| set | runs | warning fired |\n|---|---|---|`);
  console.log(`| examples that generalise (false alarms) | ${falseAlarms.length} | ${fired(falseAlarms)} |`);
  console.log(`| inside/overfit (made to overfit) | ${overfits.length} | ${fired(overfits)} |`);
  console.log(`| memorising models, runs that overfitted | ${turned.length} | ${fired(turned)} |`);
  console.log(`| memorising models, runs that did not | ${of(memorising).length - turned.length} | ${fired(of(memorising).filter((o) => !o.overfitted))} |`);
  for (const o of falseAlarms.filter((x) => x.fired)) console.log(`false alarm: ${o.example.name} seed ${o.seed}: ${o.story}`);
  for (const o of turned.filter((x) => !x.fired)) console.log(`missed: ${o.example.name} seed ${o.seed}`);
  const crashed = outcomes.filter((o) => o.status !== 'completed');
  for (const o of crashed) console.log(`not completed: ${o.example.name} seed ${o.seed}: ${o.status}`);
  // A run that did not complete measured nothing: fail, so that CI's smoke run catches a broken path.
  if (crashed.length) process.exitCode = 1;
  console.log(`\n${engine}, seeds ${seeds.join(', ')}; ${((Date.now() - started) / 60_000).toFixed(1)} min, ${jobs} runs at once`);
}

void main();
