import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseModel, parseModelSection } from '../../model/language/parse';
import { example, repo } from './helpers';

// The CLI's summary and the seed table's rows are in test/slow/summary.test.ts (each runs the CLI).

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
