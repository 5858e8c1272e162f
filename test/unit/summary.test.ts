import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, parseModelSection } from '../../model/language/parse';
import { example, repo } from './helpers';

const vgg16 = readFileSync(join(repo, 'test', 'unit', 'fixtures', 'vgg16.model.yaml'), 'utf8');
const pct = (part: number, whole: number) => Math.round((1000 * part) / whole) / 10;

test('per layer: MACs (dense in*out, conv outH*outW*outC*kH*kW*inC), other ops, receptive field', () => {
  const s = parseModel(example('digits-cnn.model.yaml')).summary;
  assert.ok(s);
  assert.deepEqual(s.layers.map((l) => l.macs), [8 * 8 * 8 * 3 * 3 * 1, 0, 4 * 4 * 16 * 3 * 3 * 8, 0, 256 * 10]);
  assert.deepEqual(s.layers.map((l) => l.receptiveField), [3, 4, 8, undefined, undefined]);
  assert.equal(s.layers[1]?.otherOps, 4 * 4 * 8 * 2 * 2, 'pooling: comparisons per output');
  assert.equal(s.layers[0]?.otherOps, 8 * 8 * 8, 'relu: one op per output');
  assert.deepEqual(s.totals, { params: 3818, trainableParams: 3818, macs: 25600, otherOps: 1290, convParams: 80 + 1168, denseParams: 2570, convMacs: 4608 + 18432, denseMacs: 2560, biasAdds: 8 * 8 * 8 + 4 * 4 * 16 + 10 });
});

test('VGG-16 from its model section alone: Keras\'s parameter count and the seed table\'s shares', () => {
  const { summary, diagnostics } = parseModelSection(vgg16);
  // Only advice (the rules' hints, e.g. global average pooling instead of flatten), no errors.
  assert.deepEqual(diagnostics.filter((d) => d.severity === 'error'), []);
  assert.ok(summary);
  const t = summary.totals;
  assert.equal(t.params, 138_357_544, 'Keras VGG16(weights=None).count_params()');
  assert.equal(pct(t.convParams, t.params), 10.6);
  assert.equal(pct(t.denseParams, t.params), 89.4);
  assert.equal(pct(t.convMacs, t.macs), 99.2);
  assert.equal(pct(t.denseMacs, t.macs), 0.8);
  assert.ok(Math.abs(t.macs / 1e6 - 15_484) / 15_484 < 0.002, `MACs ${t.macs} vs the seed's 15,484M`);
  assert.equal(summary.layers.find((l) => l.id === 'conv2d_4')?.receptiveField, 10, 'conv, conv, pool, conv: 3, 5, 6, 10');
});

test('summary needs model.input (or a data set) and reports it on the model section', () => {
  const r = parseModelSection('model:\n  layers:\n    - dense: {units: 2}\n');
  assert.equal(r.summary, undefined);
  assert.match(r.diagnostics.map((d) => d.message).join('\n'), /model.input is needed/);
  assert.equal(parseModelSection('model: {layers: [dense: {units: 2}]}\ndata: {dataset: xor}\n').summary?.totals.params, 6);
});

test('model-lab summary --json prints layers and totals in the documented shape', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), 'summary', join(repo, 'test', 'unit', 'fixtures', 'vgg16.model.yaml'), '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(out.layers[0]).slice(0, 5), ['id', 'type', 'outputShape', 'params', 'macs']);
  assert.deepEqual(Object.keys(out.totals).sort(), ['biasAdds', 'convMacs', 'convParams', 'denseMacs', 'denseParams', 'macs', 'otherOps', 'params', 'trainableParams']);
  assert.equal(out.layers.length, 22);
  assert.equal(out.name, 'vgg16');
});

// The course's CNN table (seed recap, "CNN의 특징"): params (M), conv / FC share of params, ops (M),
// conv / FC share of ops. Its "ops" are MACs plus bias additions: VGG-16 has 15,470 M MACs and
// 13.6 M bias additions, 15,484 M together, the table's figure (likewise AlexNet's 724.4 + 0.7 = 725).
interface Row { params: number; convP: number; fcP: number; ops: number; convO: number; fcO: number }
const SEED: Record<string, Row> = {
  alexnet: { params: 61, convP: 3.8, fcP: 96.2, ops: 725, convO: 91.9, fcO: 8.1 },
  vgg16: { params: 138, convP: 10.6, fcP: 89.4, ops: 15484, convO: 99.2, fcO: 0.8 },
  nin: { params: 7.6, convP: 100, fcP: 0, ops: 1168, convO: 100, fcO: 0 },
  googlenet: { params: 6.9, convP: 85.1, fcP: 14.9, ops: 1566, convO: 99.9, fcO: 0.1 },
};
interface Json { layers: { id: string; params: number; macs: number; biasAdds: number }[]; totals: { params: number; convParams: number; denseParams: number; macs: number; convMacs: number; denseMacs: number; biasAdds: number } }
function summaryJson(name: string): Json {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), 'summary', join(repo, 'examples', 'architectures', `${name}.model.yaml`), '--json'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Json;
}
/** The row as the table prints it: params in M to the table's decimals, shares to 0.1%, ops in whole M. */
function asRow(t: Json['totals'], decimals: number): Row {
  const ops = t.macs + t.biasAdds;
  const r1 = (v: number) => Math.round(v * 10) / 10;
  return {
    params: Number((t.params / 1e6).toFixed(decimals)), convP: r1((100 * t.convParams) / t.params), fcP: r1((100 * t.denseParams) / t.params),
    ops: Math.round(ops / 1e6), convO: r1((100 * t.convMacs) / t.macs), fcO: r1((100 * t.denseMacs) / t.macs),
  };
}

test('model-lab summary reproduces the seed CNN table: AlexNet and VGG-16 rows exactly', () => {
  assert.deepEqual(asRow(summaryJson('alexnet').totals, 0), SEED.alexnet);
  const vgg = summaryJson('vgg16').totals;
  assert.equal(vgg.params, 138_357_544, 'Keras applications VGG16(weights=None)');
  assert.deepEqual(asRow(vgg, 0), SEED.vgg16);
});

test('NIN row: parameters and shares match; the table\'s 1,168 M ops are not those of the Caffe-zoo NIN', () => {
  const t = summaryJson('nin').totals;
  const row = asRow(t, 1);
  assert.deepEqual({ ...row, ops: 0 }, { ...SEED.nin, ops: 0 });
  assert.equal(t.params, 7_595_176);
  // Our figure, stated in docs/networks.md beside the seed's: 1,106 M MACs + 1.7 M bias additions.
  assert.equal(t.macs, 1_105_996_320);
  assert.equal(row.ops, 1108);
});

test('NIN: no input size or conv1 padding the strides allow gives the table\'s 1,168 M (the arithmetic of docs/networks.md)', () => {
  const nin = readFileSync(join(repo, 'examples', 'architectures', 'nin.model.yaml'), 'utf8');
  const opsAt = (input: number, pad: number): { ops: number; maps: number[] } => {
    // conv1 padded by `pad` on each side: the same as a larger input for the layers after it.
    const s = parseModelSection(nin.replace('input: [227, 227, 3]', `input: [${input + 2 * pad}, ${input + 2 * pad}, 3]`)).summary;
    assert.ok(s);
    const maps = s.layers.filter((l) => l.id.startsWith('maxPooling2d') || l.id === 'conv2d_1').map((l) => Number(l.outputShape[1]));
    return { ops: Math.round((s.totals.macs + s.totals.biasAdds) / 1e5) / 10, maps };
  };
  let nearest = 0;
  for (let input = 192; input <= 320; input++) {
    for (let pad = 0; pad <= 5; pad++) {
      const { ops } = opsAt(input, pad);
      assert.ok(Math.abs(ops - 1168) >= 0.5, `input ${input}, pad ${pad}: ${ops} M`);
      if (Math.abs(ops - 1168) < Math.abs(nearest - 1168)) nearest = ops;
    }
  }
  assert.equal(nearest, 1166.9, 'the nearest any geometry comes');
  assert.deepEqual(opsAt(240, 0), { ops: 1166.9, maps: [58, 28, 13, 6] });
});

test('GoogLeNet row: the full network has 7.0 M; the table\'s 6.9 M / 1,566 M is it without inception 4e\'s 5x5 conv', () => {
  const j = summaryJson('googlenet');
  const t = j.totals;
  assert.equal(t.params, 6_998_552, 'BVLC GoogLeNet without the auxiliary classifiers');
  assert.deepEqual(asRow(t, 1), { params: 7, convP: 85.4, fcP: 14.6, ops: 1586, convO: 99.9, fcO: 0.1 });
  // The table's sum leaves out one layer: every figure of its row follows when it is taken away.
  const missing = j.layers.find((l) => l.id === 'inception_4e_5x5');
  assert.ok(missing);
  const without = {
    ...t, params: t.params - missing.params, convParams: t.convParams - missing.params,
    macs: t.macs - missing.macs, convMacs: t.convMacs - missing.macs, biasAdds: t.biasAdds - missing.biasAdds,
  };
  assert.deepEqual(asRow(without, 1), SEED.googlenet);
});
