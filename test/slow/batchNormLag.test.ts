// Batch normalization on a short run: validation at chance while training learns, because the moving
// averages have not caught up, is its own diagnostic on the batchNormalization line with the quick
// fix momentum: 0.9, and not "overfitting". And the row-15 pair: the deep sigmoid net learns with
// batch normalization where it stalls without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { diagnose } from '../../engine/stats/diagnose';
import { trainingFixEdits } from '../../host/trainingFixEdits';
import { applyEdits } from '../unit/rulesHelpers';
import { example } from '../unit/helpers';
import { trainWithStats } from '../unit/statsHelpers';

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));
const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
/** The example cut to 4 epochs: 100 steps, fewer than the few hundred the 0.99 averages need. */
const SHORT_BN = example('inside/deep-sigmoid-bn.model.yaml').replace(/^(\s+epochs:\s*)20$/m, '$14');
const BN_099 = SHORT_BN.replace(/momentum: 0\.9\b/g, 'momentum: 0.99');

/** Training learns (accuracy 0.9) while validation sits at 0.5, with the validation loss rising. */
const lagging = (n: number): EpochPoint[] => Array.from({ length: n }, (_, i) => ({
  epoch: i + 1, loss: 0.6 - i * 0.04, accuracy: 0.6 + i * 0.04, valLoss: 0.7 + i * 0.05, valAccuracy: 0.5, learningRate: 0.1, samplesPerSec: 1, elapsedMs: 1,
}));

test('batchnorm-lag: on the momentum of the first batchNormalization, with the fix for every lagging layer; no overfitting', () => {
  const spec = specOf(BN_099);
  const list = diagnose({ spec, epochs: lagging(10), batchesPerEpoch: 10 });
  assert.deepEqual(list.map((d) => d.code), ['batchnorm-lag']);
  const [d] = list;
  assert.equal(d?.range.start.line, lineOf(BN_099, 'momentum: 0.99'));
  assert.match(d?.message ?? '', /at chance .* momentum 0\.99, need about 100 steps .* taken 100/);
  assert.equal(d?.fix?.layers.length, 9);
  const fixed = applyEdits(BN_099, trainingFixEdits(spec, BN_099, d!.fix!) ?? []);
  assert.ok(SHORT_BN.includes('epochs: 4'));
  assert.equal(fixed, SHORT_BN);
  // With enough steps, or momentum 0.9, the averages have caught up: then it is not this.
  assert.deepEqual(diagnose({ spec, epochs: lagging(10), batchesPerEpoch: 40 }).filter((x) => x.code === 'batchnorm-lag'), []);
  assert.deepEqual(diagnose({ spec: specOf(example('inside/deep-sigmoid-bn.model.yaml')), epochs: lagging(10), batchesPerEpoch: 10 }).filter((x) => x.code === 'batchnorm-lag'), []);
});

test('a batchNormalization written without momentum (Keras default 0.99) gets the fix added to its options', () => {
  const text = BN_099.replace(/batchNormalization: \{momentum: 0\.99\}/g, 'batchNormalization');
  const spec = specOf(text);
  const [d] = diagnose({ spec, epochs: lagging(6), batchesPerEpoch: 10 });
  assert.equal(d?.code, 'batchnorm-lag');
  assert.equal(d?.range.start.line, lineOf(text, '- batchNormalization'));
  const fixed = applyEdits(text, trainingFixEdits(spec, text, d!.fix!) ?? []);
  assert.equal(fixed.match(/batchNormalization: \{momentum: 0\.9\}/g)?.length, 9, fixed);
});

test('the row-15 pair, trained: with batch norm (momentum 0.9) the deep sigmoid net learns and its first layer gets gradient; at 0.99 the lag is named', async () => {
  const bn = await trainWithStats(example('inside/deep-sigmoid-bn.model.yaml'));
  const last = bn.epochs[bn.epochs.length - 1];
  assert.ok((last?.valAccuracy ?? 0) >= 0.8, `val accuracy ${last?.valAccuracy}`);
  assert.deepEqual(bn.diagnostics.map((d) => d.code).filter((c) => c === 'vanishing-gradient' || c === 'batchnorm-lag' || c === 'overfitting'), []);
  const rms = bn.stats[bn.stats.length - 1]?.layers.filter((l) => l.kind === 'dense').map((l) => l.gradRms ?? 0) ?? [];
  assert.ok((rms[0] ?? 0) > (rms[rms.length - 1] ?? 1) * 1e-2, `gradient RMS of the dense layers by depth: ${rms}`);
  const plain = await trainWithStats(example('inside/deep-sigmoid.model.yaml'));
  assert.ok(plain.diagnostics.some((d) => d.code === 'vanishing-gradient'));
  const lag = await trainWithStats(BN_099);
  const d = lag.diagnostics.find((x) => x.code === 'batchnorm-lag');
  assert.ok(d, JSON.stringify(lag.diagnostics.map((x) => x.message)));
  assert.equal(d.range.start.line, lineOf(BN_099, 'momentum: 0.99'));
  assert.ok(!lag.diagnostics.some((x) => x.code === 'overfitting'));
});
