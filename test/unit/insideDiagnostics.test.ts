// Training diagnostics: each rule on hand-made histories, the anchors that follow edits and clear
// when answered. The examples in examples/inside/ that each show one problem are trained in
// test/slow/insideDiagnostics-examples.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { parseSource } from '../../model/language/source';
import { diagnose } from '../../engine/stats/diagnose';
import { anchorRange, fingerprint } from '../../model/language/anchors';
import { XOR } from './helpers';

const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
const lineOf = (text: string, needle: string, from = 0): number => text.split('\n').findIndex((l, i) => i >= from && l.includes(needle));
const epoch = (e: number, loss: number, valLoss?: number): EpochPoint => ({ epoch: e, loss, ...(valLoss !== undefined ? { valLoss } : {}), learningRate: 0.05, samplesPerSec: 1, elapsedMs: 1 });

test('divergence: a loss rising for three epochs from the start is on learningRate', () => {
  const spec = specOf(XOR);
  const [d] = diagnose({ spec, epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 3), epoch(4, 5)] });
  assert.equal(d?.code, 'loss-diverging');
  assert.equal(d?.range.start.line, lineOf(XOR, 'learningRate:'));
  assert.match(d?.message ?? '', /rose for 3 epochs from the start \(1 → 5\)/);
  assert.equal(diagnose({ spec, epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 1.5), epoch(4, 5)] }).length, 0);
});

test('overfitting: val loss up 5 epochs after its best while train loss falls, on epochs and on layers', () => {
  const spec = specOf(XOR);
  const epochs = [0.9, 0.7, 0.5, 0.6, 0.65, 0.7, 0.72, 0.75].map((v, i) => epoch(i + 1, 1 - i * 0.1, v));
  const list = diagnose({ spec, epochs });
  assert.deepEqual(list.map((d) => d.code), ['overfitting', 'overfitting']);
  assert.equal(list[0]?.range.start.line, lineOf(XOR, 'epochs:'));
  assert.equal(list[1]?.range.start.line, lineOf(XOR, 'layers:'));
  assert.match(list[0]?.message ?? '', /from epoch 3/);
  assert.equal(diagnose({ spec, epochs: epochs.slice(0, 7) }).length, 0, 'four epochs after the best is not yet overfitting');
});

test('a diagnostic follows its token through edits and clears when its answer changes', () => {
  const [d] = diagnose({ spec: specOf(XOR), epochs: [epoch(1, 1), epoch(2, 2), epoch(3, 3), epoch(4, 5)] });
  assert.ok(d);
  const moved = `# a comment\n${XOR.replace('epochs: 60', 'epochs: 70')}`;
  const root = parseSource(moved).root;
  assert.equal(fingerprint(root, d.answers), d.answered, 'epochs do not answer a learning-rate problem');
  assert.equal(anchorRange(root, d.anchor).start.line, lineOf(XOR, 'learningRate:') + 1);
  const fixed = parseSource(XOR.replace('learningRate: 0.05', 'learningRate: 0.005')).root;
  assert.notEqual(fingerprint(fixed, d.answers), d.answered);
});

test('overfitting: a rise within the noise of the validation set, or without a growing gap, is not called', () => {
  const spec = specOf(XOR);
  const rising = [0.9, 0.7, 0.5, 0.6, 0.65, 0.7, 0.72, 0.75];
  const noisy = rising.map((v, i) => ({ ...epoch(i + 1, 1 - i * 0.1, v), valLossChangeSE: 0.2 }));
  assert.deepEqual(diagnose({ spec, epochs: noisy }).filter((d) => d.code === 'overfitting'), [], 'a 0.25 rise with a standard error of 0.2');
  const clear = rising.map((v, i) => ({ ...epoch(i + 1, 1 - i * 0.1, v), valLossChangeSE: 0.05 }));
  assert.equal(diagnose({ spec, epochs: clear }).filter((d) => d.code === 'overfitting').length, 2, 'a 0.25 rise with a standard error of 0.05');
  // One noisy epoch is not a trend: a plateau near the best, then a spike in the last epoch alone.
  const spike = [0.9, 0.7, 0.5, 0.52, 0.53, 0.52, 0.51, 0.53, 0.75].map((v, i) => ({ ...epoch(i + 1, 1 - i * 0.1, v), valLossChangeSE: 0.05 }));
  assert.deepEqual(diagnose({ spec, epochs: spike }).filter((d) => d.code === 'overfitting'), [], 'a rise in the last epoch only');
  // Training loss falling slower than validation loss rises is needed too: the same rise with the gap shrinking is not.
  const closing = rising.map((v, i) => ({ ...epoch(i + 1, i < 2 ? 1 : 0.4 + i * 0.05, v), valLossChangeSE: 0 }));
  assert.deepEqual(diagnose({ spec, epochs: closing }).filter((d) => d.code === 'overfitting'), []);
});
