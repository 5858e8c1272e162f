// The two engines learn the same: a dense, a convolutional and a graph example trained through the
// CLI on tfjs and on PyTorch at seeds 1, 2 and 3 must reach the same mean final validation accuracy
// within 2 points, as `npm run bench:parity` asks of every example (docs/engines.md has its table).
// digits-concatenate trains 6 of its 12 epochs here so that the test stays near two minutes; the
// bench trains it in full. Both engines run the same JSON shape: the keys a user's script reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliArgs, examplesWithData, pool, root, trainExample, verdict, type Engine, type RunOutcome } from '../../bench/parity';
import { torchPython } from './torchPython';

const SUBSET: Record<string, number | undefined> = { 'xor.model.yaml': undefined, 'digits-cnn.model.yaml': undefined, 'digits-concatenate.model.yaml': 6 };
const SEEDS = [1, 2, 3];

test('tfjs and PyTorch reach the same validation accuracy on a dense, a conv and a graph example (3 seeds)', { timeout: 15 * 60_000 }, async () => {
  const examples = examplesWithData().filter((e) => e.name in SUBSET);
  assert.equal(examples.length, 3, 'the subset names examples that exist');
  const runs = examples.flatMap((example) => SEEDS.flatMap((seed) => (['tfjs', 'pytorch'] as Engine[]).map((engine) => ({ example, seed, engine }))));
  const outcomes = await pool(runs.map((r) => (): Promise<RunOutcome> => {
    const epochs = SUBSET[r.example.name];
    return trainExample(r.example, r.seed, r.engine, epochs !== undefined ? { epochs } : {});
  }), 2);
  const report: string[] = [];
  for (const example of examples) {
    const of = (engine: Engine): RunOutcome[] => outcomes.filter((_, i) => runs[i]?.example === example && runs[i]?.engine === engine);
    const v = verdict(example, of('tfjs'), of('pytorch'));
    report.push(`${example.name}: tfjs ${v.tfjsMean.toFixed(3)}, pytorch ${v.torchMean.toFixed(3)}, ${v.note} ${v.difference.toFixed(1)}`);
    assert.ok(v.pass, report.join('\n'));
  }
});

test('the CLI prints the same JSON keys for both engines', { timeout: 5 * 60_000 }, () => {
  const keys = (engine: Engine): string[] => {
    const args = [...cliArgs, 'train', join(root, 'examples', 'perceptron.model.yaml'), '--engine', engine, '--json', '--no-record'];
    if (engine === 'pytorch') args.push('--python', torchPython());
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    for (const key of ['status', 'final', 'epochs', 'samplesPerSec', 'diagnostics']) assert.ok(key in out, `${engine} prints ${key}`);
    assert.equal(out.status, 'completed');
    const final = out.final as Record<string, unknown>;
    return [...Object.keys(out).filter((k) => k !== 'error'), ...Object.keys(final).map((k) => `final.${k}`)].sort();
  };
  assert.deepEqual(keys('pytorch'), keys('tfjs'));
});
