// Statistics of the inside of the network: summaries against hand-computed values, the init
// targets, the message budget, the schedule, the run record, and no tensor leaks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type StatsRecord, type TrainingDiagnostic, filterStackShape } from '../../protocol/stats';
import { parseModel } from '../../model/language/parse';
import { dequantizeExample } from '../../common/stats/mapCodec';
import { deadFraction, saturatedFraction, summarize } from '../../engine/stats/summarize';
import { fans, glorotStd, heStd, initTarget, lecunStd } from '../../engine/stats/targets';
import { MAX_MESSAGE_CHARS, mergeParts, splitRecord } from '../../common/stats/budget';
import { readStats, readDiagnostics } from '../../engine/stats/record';
import { asWorkerToHost } from '../../protocol/worker';
import { RunInside } from '../../host/runInside';
import { example, XOR } from './helpers';
import { trainWithStats } from './statsHelpers';

test('summarize: min, max, mean, std, special values and fixed-width bins of a known tensor', () => {
  const s = summarize([0, 1, 2, 3, 4, 0, NaN, Infinity, -Infinity], 4);
  assert.equal(s.count, 9);
  assert.equal(s.min, 0);
  assert.equal(s.max, 4);
  assert.equal(s.mean, 1.667, '10/6 to 4 significant digits');
  // population std of [0,1,2,3,4,0]: mean 5/3, squares sum = 30 - 6*(25/9) = 13.333..
  assert.equal(s.std, Number(Math.sqrt(40 / 3 / 6).toPrecision(4)));
  assert.deepEqual([s.zeros, s.nan, s.inf], [2, 1, 2]);
  // bins of width 1 over [0, 4]: [0,1) holds 0,0; [1,2) 1; [2,3) 2; [3,4] 3 and 4 (the top edge closes the last bin)
  assert.deepEqual(s.hist, { lo: 0, hi: 4, counts: [2, 1, 1, 2] });
  assert.deepEqual(summarize([5, 5, 5], 3).hist.counts, [3, 0, 0], 'a constant tensor is one bin');
});

test('init targets: Glorot, He and LeCun of a 784x128 dense layer and of a 3x3 conv', () => {
  assert.deepEqual(fans([784, 128]), { fanIn: 784, fanOut: 128 });
  assert.equal(glorotStd(784, 128), Math.sqrt(2 / 912));
  assert.ok(Math.abs(glorotStd(784, 128) - 0.046829) < 1e-6);
  assert.ok(Math.abs(heStd(784) - 0.050508) < 1e-6);
  assert.ok(Math.abs(lecunStd(784) - 0.035714) < 1e-6);
  assert.deepEqual(fans([3, 3, 1, 8]), { fanIn: 9, fanOut: 72 });
  const t = initTarget([784, 128], 'relu', { name: 'randomNormal', options: { stddev: 0.01 } });
  assert.equal(t.rule, 'he');
  assert.equal(t.initializerStd, 0.01);
  assert.equal(initTarget([784, 128], 'tanh', undefined).rule, 'glorot');
  assert.equal(initTarget([784, 128], 'tanh', undefined).initializerStd, Math.sqrt(2 / 912));
});

test('dead-ReLU fraction of a constructed layer and sigmoid/tanh saturation', () => {
  // 3 rows x 4 units: units 1 and 3 are never positive.
  const acts = [0.5, 0, 1, -0, 0, 0, 2, 0, 3, -1, 0, 0];
  assert.equal(deadFraction(acts, 4), 0.5);
  assert.equal(saturatedFraction([0.01, 0.5, 0.99, 0.97], 'sigmoid'), 0.5);
  assert.equal(saturatedFraction([-0.99, 0.1, 0.97, 0.5], 'tanh'), 0.5);
});

test('a relu layer whose bias pushes every unit below zero measures 100% dead, and the diagnostic names it', async () => {
  const text = XOR.replace('epochs: 60', 'epochs: 1')
    .replace('- dense: {units: 8, activation: tanh}', '- dense: {units: 8, activation: relu, kernelInitializer: zeros, biasInitializer: {constant: {value: -1}}}');
  const { stats, diagnostics } = await trainWithStats(text);
  const layer = stats[0]?.layers[0];
  assert.equal(layer?.dead, 1);
  assert.equal(layer?.act?.zeros, layer?.act?.count);
  const dead = diagnostics.find((d) => d.code === 'dead-relu');
  assert.ok(dead, JSON.stringify(diagnostics));
  assert.match(dead.message, /100% of the units of 'dense_1'/);
  assert.equal(dead.range.start.line, text.split('\n').findIndex((l) => l.includes('biasInitializer')));
});

test('digits CNN: statistics at init and every epoch, filters and feature maps, flat tensors, messages under 64 KB', async () => {
  const text = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 3');
  const { stats, tensorsPerEpoch, status } = await trainWithStats(text);
  assert.equal(status, 'completed');
  assert.equal(new Set(tensorsPerEpoch).size, 1, `numTensors per epoch: ${tensorsPerEpoch}`);
  const records = mergeParts(stats);
  assert.deepEqual(records.map((r) => [r.when, r.epoch]), [['init', 0], ['epoch', 1], ['epoch', 2], ['epoch', 3]]);
  for (const part of stats) assert.ok(JSON.stringify(part).length < MAX_MESSAGE_CHARS);
  const conv = records[3]?.layers[0];
  assert.equal(conv?.kind, 'conv2d');
  assert.deepEqual(conv?.filters?.shape, [3, 3, 1, 8]);
  const filters = conv?.filters?.quantized && dequantizeExample(conv.filters.quantized, filterStackShape(conv.filters.shape), 0);
  assert.equal(filters?.length, 72, 'the filters travel as bytes: 3x3x1x8 values');
  assert.equal(conv?.filters?.quantized?.scales[0]?.length, 8, 'a scale per (input, output) channel tile');
  assert.deepEqual(conv?.maps?.shape, [8, 8, 8]);
  // The probe examples' maps travel as bytes (common/stats/mapCodec.ts): 6 examples of 8x8x8 after relu.
  const maps = conv?.maps?.quantized;
  assert.equal(maps?.bytes.length, 6);
  const first = maps && dequantizeExample(maps, [8, 8, 8], 0);
  assert.equal(first?.length, 512);
  assert.ok(first && Math.min(...first) >= 0 && Math.max(...first) > 0, 'relu maps, not all zero');
  assert.ok((conv?.gradNorm ?? 0) > 0 && (conv?.updateRatio ?? 0) > 0, 'gradient and update measured');
  assert.equal(records[0]?.layers[0]?.updateRatio, undefined, 'no update before the first step');
  assert.ok(records[3]?.predictions?.confusion?.length === 10);
  assert.ok(records[0]?.probeInputs?.examples.length);
  assert.ok(records.slice(1).every((r) => !r.probeInputs), 'the probe images, which never change, go with the first collection only');
});

test('a model far larger than one message is split into parts under the budget, and merged back whole', async () => {
  const layers = Array.from({ length: 80 }, () => '    - dense: {units: 32, activation: relu}').join('\n');
  const text = XOR.replace(/ {4}- dense: \{units: 8, activation: tanh\}/, layers).replace('epochs: 60', 'epochs: 1').replace('samples: 400', 'samples: 64');
  const { stats } = await trainWithStats(text);
  assert.ok(stats.length > 2, `${stats.length} parts`);
  for (const part of stats) assert.ok(JSON.stringify(part).length < MAX_MESSAGE_CHARS, `part of ${JSON.stringify(part).length} chars`);
  const merged = mergeParts(stats);
  assert.equal(merged.length, 2);
  assert.equal(merged[0]?.layers.length, 81);
  const one = splitRecord(merged[0] as StatsRecord, 10_000);
  assert.ok(one.every((p) => JSON.stringify(p).length < 10_000));
});

test('train.statistics: off collects nothing; a number of steps sets the schedule; bad values are reported', async () => {
  const off = await trainWithStats(XOR.replace('epochs: 60', 'epochs: 2').replace('seed: 1', 'seed: 1\n  statistics: off'));
  assert.equal(off.stats.length, 0);
  const steps = await trainWithStats(XOR.replace('epochs: 60', 'epochs: 2').replace('seed: 1', 'seed: 1\n  statistics: {every: 5, probe: 16}'));
  assert.deepEqual(mergeParts(steps.stats).map((r) => r.step), [0, 5, 10, 15, 20]);
  const bad = parseModel(XOR.replace('seed: 1', 'seed: 1\n  statistics: often'));
  const d = bad.diagnostics.find((x) => x.message.includes('train.statistics'));
  assert.ok(d, JSON.stringify(bad.diagnostics));
  assert.equal(d.range.start.line, XOR.split('\n').findIndex((l) => l.includes('seed: 1')) + 1);
});

test('statistics and diagnostics are validated on the worker boundary and recorded in the run folder', async () => {
  const record: StatsRecord = { step: 0, epoch: 0, when: 'init', layers: [{ id: 'dense_1', kind: 'dense', index: 0, kernel: summarize([1, 2, 3]) }] };
  assert.ok(asWorkerToHost({ type: 'stats', record }));
  assert.equal(asWorkerToHost({ type: 'stats', record: { ...record, layers: [{ id: 3 }] } }), undefined);
  assert.equal(asWorkerToHost({ type: 'diagnostics', list: [{ message: 'x' }] }), undefined);
  const dir = mkdtempSync(join(tmpdir(), 'modellab-stats-'));
  const inside = new RunInside(dir);
  inside.addStats(record);
  inside.addStats({ ...record, step: 5, when: 'epoch', epoch: 1 });
  const diag: TrainingDiagnostic = { severity: 'warning', message: 'm', code: 'c', range: { start: { line: 1, character: 2 }, end: { line: 1, character: 5 } }, anchor: ['train'], answers: [['train']], answered: '[1]' };
  inside.setDiagnostics([diag]);
  await inside.flushed(); // diagnostics are written asynchronously (off the extension host's thread)
  appendFileSync(join(dir, 'stats.jsonl'), '{"step": 9, "epo'); // a run killed mid-write
  assert.deepEqual(readStats(dir).map((r) => r.step), [0, 5]);
  assert.deepEqual(readDiagnostics(dir), [diag]);
  assert.equal(readFileSync(join(dir, 'stats.jsonl'), 'utf8').split('\n').length, 3, 'two records and the torn line');
});
