// The compare panel's core: debiased EMA over uneven steps, min/max thinning, the differing-keys
// table, the fast record reader (same data as readRun, valid prefix when cut), export and filter.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochPoint, RunInfo } from '../../protocol/run';
import { differingKeys, flattenConfig } from '../../host/compare/configDiff';
import { csvCell, metricsCsv, metricsJson } from '../../host/compare/exportMetrics';
import { matchesFilter } from '../../host/compare/filterRuns';
import { parallelAxes } from '../../common/compare/parallelAxes';
import { prepareCompare } from '../../host/compare/prepare';
import { readCompareRun, readEpochs, readMetrics } from '../../host/compare/readCompareRun';
import { columns, decimateMinMax, smoothEma, typicalStep } from '../../common/compare/smoothing';
import { asCompareToHost, asHostToCompare } from '../../protocol/compare';
import type { RunEntry } from '../../engine/runs/runList';
import { newRunDir, readRun, RunRecorder } from '../../engine/runs/runStore';

const cols = (xs: number[], ys: number[]) => ({ xs: Float64Array.from(xs), ys: Float64Array.from(ys) });

test('EMA is debiased: a constant stays constant from the first point, a step approaches geometrically', () => {
  const flat = smoothEma(cols([1, 2, 3, 4], [5, 5, 5, 5]), 0.9);
  assert.deepEqual([...flat.ys].map((y) => +y.toFixed(12)), [5, 5, 5, 5]);
  const step = smoothEma(cols([0, 1, 2], [0, 1, 1]), 0.5);
  // avg: 0, 0.5*0+0.5*1=0.5, 0.75; norm: 1, 1, 1 (first point carries all weight)
  assert.deepEqual([...step.ys], [0, 0.5, 0.75]);
  assert.deepEqual([...smoothEma(cols([0, 1], [3, 4]), 0).ys], [3, 4], 'weight 0: no smoothing');
});

test('EMA over uneven steps: a gap of two steps decays like two single steps', () => {
  const even = smoothEma(cols([0, 1, 2, 3, 4, 5], [0, 0, 1, 1, 1, 1]), 0.8);
  // The same series with x=3 missing: at x=4 the average must equal the even series' (y constant at 1 between).
  const uneven = smoothEma(cols([0, 1, 2, 4, 5], [0, 0, 1, 1, 1]), 0.8);
  assert.ok(Math.abs((uneven.ys[3] as number) - (even.ys[4] as number)) < 1e-12, `${uneven.ys[3]} vs ${even.ys[4]}`);
  assert.equal(typicalStep(Float64Array.from([0, 1, 2, 4, 5])), 1);
  const withNaN = smoothEma(cols([0, 1, 2], [1, Number.NaN, 1]), 0.9);
  assert.ok(Number.isNaN(withNaN.ys[1]) && withNaN.ys[2] === 1, 'NaN is skipped, not averaged in');
});

test('min/max thinning keeps spikes, x order and the point budget', () => {
  const n = 10_000;
  const ys = Array.from({ length: n }, (_, i) => (i === 5_000 ? 100 : i === 7_000 ? -50 : Math.sin(i)));
  const out = decimateMinMax(cols(Array.from({ length: n }, (_, i) => i), ys), 400);
  assert.ok(out.length <= 400, `${out.length} points`);
  assert.ok(out.some((p) => p.y === 100) && out.some((p) => p.y === -50), 'the spike and the dip survive');
  assert.ok(out.every((p, i) => i === 0 || p.x >= (out[i - 1] as { x: number }).x), 'x never goes back');
  assert.deepEqual(decimateMinMax(columns([{ x: 1, y: 2 }, { x: 2, y: Number.NaN }]), 10), [{ x: 1, y: 2 }]);
});

test('config table: only keys that differ, flattened with list indices', () => {
  const a = flattenConfig('name: a\ntrain: {learningRate: 0.1, epochs: 10}\nmodel:\n  layers:\n    - dense: {units: 8}\n');
  const b = flattenConfig('name: b\ntrain: {learningRate: 0.3, epochs: 10}\nmodel:\n  layers:\n    - dense: {units: 8}\n    - dropout: {rate: 0.5}\n');
  assert.equal(a.get('model.layers[0].dense.units'), '8');
  assert.deepEqual(differingKeys([a, b]), { keys: ['train.learningRate', 'model.layers[1].dropout.rate'], rows: [['0.1', ''], ['0.3', '0.5']] });
  assert.deepEqual(flattenConfig('[broken'), new Map());
});

const info = (name: string): RunInfo => ({ id: name, name, modelFile: '/w/x.model.yaml', startedAt: '2026-01-01T00:00:00Z', epochs: 3, batchSize: 1, batchesPerEpoch: 2, trainSamples: 2, valSamples: 1, backend: 'cpu', metrics: ['loss'], dataset: 'xor', seed: 1, totalParams: 1 });
const epoch = (e: number, valLoss: number, valAccuracy: number): EpochPoint => ({ epoch: e, loss: 1 / e, valLoss, valAccuracy, learningRate: 0.1, samplesPerSec: 10, elapsedMs: e });

function record(root: string, name: string, lr: number, vals: [number, number][]): string {
  const dir = newRunDir(root, name);
  const rec = new RunRecorder(dir);
  rec.writeModel(`name: ${name}\ntrain: {learningRate: ${lr}}\n`, '/w/x.model.yaml');
  rec.writeInfo(info(name));
  vals.forEach(([vl, va], i) => rec.append([{ step: 2 * i + 1, epoch: i + 1, x: i + 0.5, loss: vl * 2 }, { step: 2 * i + 2, epoch: i + 1, x: i + 1, loss: Number.NaN }], [epoch(i + 1, vl, va)]));
  rec.writeSummary({ status: 'completed', endedAt: '', durationMs: 5, epochsDone: vals.length });
  return dir;
}

test('the fast reader gives what readRun gives, and a record cut at any byte reads as a prefix', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-cmp-'));
  const dir = record(root, 'a', 0.1, [[0.5, 0.6], [0.3, 0.8], [0.4, 0.7]]);
  const fast = readCompareRun(dir, { batches: true });
  const slow = readRun(dir);
  const lazy = readCompareRun(dir);
  assert.deepEqual([lazy?.hasBatches, fast?.hasBatches], [true, true], 'batch points known without being read');
  assert.deepEqual([lazy?.batchX.length, lazy?.batchesRead, fast?.batchesRead], [0, false, true]);
  assert.deepEqual(lazy?.epochs, slow?.epochs);
  assert.ok(fast && slow);
  assert.deepEqual(fast.epochs, slow.epochs);
  assert.deepEqual([...fast.batchX], slow.batches.map((b) => b.x));
  assert.deepEqual([...fast.batchLoss], slow.batches.map((b) => b.loss));
  const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
  const whole = readMetrics(text);
  let lastLines = 0;
  for (let cut = 0; cut <= text.length; cut++) {
    const part = readMetrics(text.slice(0, cut));
    assert.deepEqual(readEpochs(Buffer.from(text.slice(0, cut))).epochs, part.epochs, `cut at ${cut}: the epochs-only reader agrees`);
    const lines = part.epochs.length + part.batchX.length;
    assert.ok(lines >= lastLines, `cut at ${cut}: never fewer points than a shorter cut`);
    assert.deepEqual(part.epochs, whole.epochs.slice(0, part.epochs.length));
    assert.deepEqual([...part.batchX], [...whole.batchX].slice(0, part.batchX.length));
    lastLines = lines;
  }
  assert.equal(lastLines, 6, 'three epochs and three batch points (NaN losses are left out, as readRun does)');
  writeFileSync(join(dir, 'run.json'), '{"id": ');
  assert.equal(readCompareRun(dir), undefined);
  rmSync(root, { recursive: true });
});

test('prepare: best markers follow the metric direction; export and filter', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-cmp-'));
  const runs = [record(root, 'a', 0.1, [[0.5, 0.6], [0.3, 0.8], [0.4, 0.7]]), record(root, 'b,"x"', 0.3, [[0.6, 0.5], [0.7, 0.55]])].map((d) => readCompareRun(d, { batches: true })!);
  const loss = prepareCompare(runs, 'valLoss', 0.5);
  assert.deepEqual(loss.series.map((s) => s.best), [{ x: 2, y: 0.3 }, { x: 1, y: 0.6 }]);
  assert.equal(loss.higherIsBetter, false);
  assert.deepEqual(loss.config.keys, ['train.learningRate']);
  assert.deepEqual(loss.config.rows.map((r) => r.values), [['0.1'], ['0.3']]);
  assert.ok(loss.metrics.includes('batchLoss') && loss.metrics.includes('valAccuracy') && !loss.metrics.includes('accuracy'));
  const acc = prepareCompare(runs, 'valAccuracy', 0);
  assert.deepEqual(acc.series.map((s) => s.best?.y), [0.8, 0.55]);
  assert.deepEqual(asHostToCompare(JSON.parse(JSON.stringify({ type: 'view', view: acc }))), { type: 'view', view: acc });
  const batch = prepareCompare(runs, 'batchLoss', 0.9);
  assert.equal(batch.series[0]?.raw.length, 3, 'NaN batch losses are not drawn');
  assert.equal(batch.series[0]?.smooth.length, 3);

  const csv = metricsCsv(runs);
  assert.equal(csv.split('\n')[0], 'run,name,epoch,loss,accuracy,valLoss,valAccuracy,learningRate,samplesPerSec,elapsedMs');
  assert.equal(csv.trim().split('\n').length, 1 + 3 + 2);
  assert.match(csv, /,"b,""x""",1,1,,0\.6,0\.5,0\.1,10,1\n/);
  assert.equal(csvCell('=cmd()'), "'=cmd()");
  const json = JSON.parse(metricsJson(runs)) as { name: string; epochs: unknown[]; batches: { loss: unknown[] } }[];
  assert.deepEqual(json.map((r) => [r.name, r.epochs.length]), [['a', 3], ['b,"x"', 2]]);
  assert.equal(json[0]?.batches.loss.length, 3);

  const entry = { dir: '/w/.modellab/runs/20260101-000000-xor', run: { info: { ...info('xor'), modelFile: '/w/xor.model.yaml' }, status: 'completed', batches: [], epochs: [] }, meta: { tags: ['sweep'], pinned: false, hidden: false } } as RunEntry;
  assert.ok(matchesFilter(entry, 'xor #sweep status:completed'));
  assert.ok(matchesFilter(entry, ''));
  assert.ok(!matchesFilter(entry, '#other'));
  assert.ok(matchesFilter(entry, 'file:xor.model'));
  assert.ok(!matchesFilter(entry, 'status:failed'));
  assert.deepEqual(asCompareToHost({ type: 'setView', metric: 'valLoss', smoothing: 0.5 }), { type: 'setView', metric: 'valLoss', smoothing: 0.5 });
  assert.equal(asCompareToHost({ type: 'setView', metric: 'valLoss', smoothing: 1 }), undefined);
  assert.equal(asCompareToHost({ type: 'export', format: 'xml' }), undefined);
  rmSync(root, { recursive: true });
});

test('parallel coordinates: log axis for wide positive ranges, categories for words, gaps for missing values', () => {
  const axes = parallelAxes(['train.learningRate', 'train.optimizer', 'model.layers[1].dropout.rate'], [['0.001', 'adam', '0.5'], ['0.1', 'sgd', ''], ['0.01', 'adam', '0.2']], 'best val loss', [0.3, 0.5, undefined]);
  assert.deepEqual(axes.map((a) => [a.name, a.scale]), [['train.learningRate', 'log'], ['train.optimizer', 'category'], ['model.layers[1].dropout.rate', 'linear'], ['best val loss', 'linear']]);
  assert.deepEqual(axes[0]!.at.map((v) => +v.toFixed(6)), [0, 1, 0.5], '0.01 is half way between 0.001 and 0.1 on a log axis');
  assert.deepEqual(axes[1]!.at, [0, 1, 0]);
  assert.ok(Number.isNaN(axes[2]!.at[1]!) && Number.isNaN(axes[3]!.at[2]!));
  assert.deepEqual(axes[3]!.ticks.map((t) => t.label), ['0.3', '0.5']);
});
