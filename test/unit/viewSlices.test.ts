// Each inside panel gets only the slice of a statistics record it draws (common/stats/viewSlices.ts):
// checked against what the view's webview code reads, against a real digits CNN record (sizes
// printed), and on the host -> panel boundary (protocol/inside.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type InsideView, asHostToInside, isSliceOf, LAYER_FIELD_VIEWS, LAYER_IDENTITY, layerKeysOf, RECORD_FIELD_VIEWS, recordKeysOf } from '../../protocol/inside';
import type { LayerStats, StatsRecord } from '../../protocol/stats';
import { mergeParts } from '../../common/stats/budget';
import { sliceRecord } from '../../common/stats/viewSlices';
import { example, repo } from './helpers';
import { trainWithStats } from './statsHelpers';

const VIEWS: InsideView[] = ['weights', 'gradients', 'filters', 'predictions'];
const LAYER_FIELDS = Object.keys(LAYER_FIELD_VIEWS) as (keyof LayerStats)[];
const RECORD_EXTRAS = ['probeInputs', 'predictions'] as const;

/** The layer and record fields a view's source reads: `l.x` / `layer.x`, and `.probeInputs` / `.predictions`. */
function fieldsRead(view: InsideView): { layer: Set<string>; record: Set<string> } {
  const source = readFileSync(join(repo, 'webview', 'inside', `${view}.ts`), 'utf8');
  const layer = new Set([...source.matchAll(/\b(?:l|layer)\??\.(\w+)/g)].map((m) => m[1] as string).filter((f) => (LAYER_FIELDS as string[]).includes(f)));
  const record = new Set(RECORD_EXTRAS.filter((f) => new RegExp(`\\.${f}\\b`).test(source)));
  return { layer, record };
}

let digits: StatsRecord[] | undefined;
/** The digits CNN's records: at init (with the probe images) and after its one epoch. */
async function digitsRecords(): Promise<StatsRecord[]> {
  if (!digits) {
    const { stats } = await trainWithStats(example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 1'));
    digits = mergeParts(stats);
  }
  assert.deepEqual(digits.map((r) => r.when), ['init', 'epoch'], 'the digits CNN sent a record at init and one for its epoch');
  return digits;
}
const digitsRecord = async (): Promise<StatsRecord> => (await digitsRecords())[1] as StatsRecord;

test('each view slice carries exactly the layer and record fields its webview code reads (plus the identity a layer needs)', () => {
  for (const view of VIEWS) {
    const read = fieldsRead(view);
    const layerKeys = new Set<string>(layerKeysOf(view));
    const expected = read.layer.size > 0 ? new Set<string>([...read.layer, ...LAYER_IDENTITY]) : new Set<string>();
    assert.deepEqual([...(RECORD_FIELD_VIEWS.layers.includes(view) ? layerKeys : new Set<string>())].sort(), [...expected].sort(), `${view}: layer fields`);
    assert.deepEqual(RECORD_EXTRAS.filter((f) => recordKeysOf(view).includes(f)).sort(), [...read.record].sort(), `${view}: record fields`);
  }
});

test('the slices together cover the record: every field but the ones no view draws', async () => {
  const [init, record] = await digitsRecords() as [StatsRecord, StatsRecord];
  assert.ok(init.probeInputs && !record.probeInputs, 'the probe images go with the first record only');
  const undrawn = LAYER_FIELDS.filter((f) => LAYER_FIELD_VIEWS[f].length === 0 && !LAYER_IDENTITY.includes(f));
  assert.deepEqual(undrawn, ['weightNorm'], 'only the weight norm (kept in stats.jsonl) is drawn by no view');
  // Rebuild each record from its slices: layer by layer, field by field.
  for (const r of [init, record]) {
    const rebuilt: StatsRecord = { step: r.step, epoch: r.epoch, when: r.when, layers: r.layers.map((l) => ({ id: l.id, kind: l.kind, index: l.index })) };
    for (const s of VIEWS.map((v) => sliceRecord(v, r))) {
      if (s.probeInputs) rebuilt.probeInputs = s.probeInputs;
      if (s.predictions) rebuilt.predictions = s.predictions;
      s.layers.forEach((l, i) => Object.assign(rebuilt.layers[i] as LayerStats, l));
    }
    const withoutUndrawn = { ...r, layers: r.layers.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(undrawn as string[]).includes(k)))) };
    assert.deepEqual(rebuilt, withoutUndrawn, r.when);
  }
  const slices = VIEWS.map((v) => sliceRecord(v, record));
  // What the digits CNN carries, so the fields the slices rely on are really there.
  assert.ok(record.layers.some((l) => l.filters && l.maps) && record.predictions?.confusion);
  assert.ok(record.layers.some((l) => l.kernel && l.act && l.target) && record.layers.some((l) => l.gradNorm !== undefined && l.updateRatio !== undefined));

  const size = (v: unknown): number => JSON.stringify(v).length;
  const sizes = Object.fromEntries(VIEWS.map((v, i) => [v, size(slices[i])]));
  console.log(`digits CNN epoch record: whole ${size(record)} chars; slices ${JSON.stringify(sizes)}; sum ${Object.values(sizes).reduce((a, b) => a + b, 0)}`);
  for (const v of VIEWS) assert.ok((sizes[v] as number) < size(record), `${v} gets less than the whole record`);
  assert.ok((sizes.predictions as number) < size(record) / 10 && (sizes.gradients as number) < size(record) / 10, 'the small views get a small part');
});

test('slices keep the layers in order, share values, and pass the boundary only for their own view', async () => {
  const record = await digitsRecord();
  const filters = sliceRecord('filters', record);
  assert.deepEqual(filters.layers.map((l) => l.id), record.layers.map((l) => l.id), 'the Filters view asks whether a conv layer is the first');
  assert.deepEqual(sliceRecord('predictions', record).layers, []);
  assert.equal(filters.layers[0]?.filters, record.layers[0]?.filters, 'values are shared, not copied');
  for (const view of VIEWS) {
    const slice = sliceRecord(view, record);
    assert.ok(isSliceOf(view, slice), view);
    assert.ok(asHostToInside({ type: 'stats', runId: 'r', view, record: slice }), `${view} stats message`);
    const run = { id: 'r', name: 'n', status: 'running', modelFile: 'm' };
    assert.ok(asHostToInside({ type: 'snapshot', view, run, records: [slice, slice], diagnostics: [] }), `${view} snapshot`);
    for (const other of VIEWS.filter((o) => o !== view)) {
      assert.equal(asHostToInside({ type: 'stats', runId: 'r', view: other, record: slice }), undefined, `${view} slice refused as ${other}`);
      assert.equal(asHostToInside({ type: 'snapshot', view: other, run, records: [slice], diagnostics: [] }), undefined, `${view} snapshot refused as ${other}`);
    }
    assert.equal(asHostToInside({ type: 'stats', runId: 'r', view, record }), undefined, `${view}: a whole record is not a slice`);
    assert.equal(asHostToInside({ type: 'stats', runId: 'r', record: slice }), undefined, 'a stats message names its view');
  }
});

test('a record split into parts slices part by part into the same slice as the whole', async () => {
  const record = await digitsRecord();
  const { splitRecord } = await import('../../common/stats/budget');
  const parts = splitRecord(record, 2_500);
  assert.ok(parts.length > 1);
  for (const view of VIEWS) {
    const merged = mergeParts(parts.map((p) => sliceRecord(view, p)));
    assert.equal(merged.length, 1);
    assert.deepEqual(merged[0], sliceRecord(view, mergeParts(parts)[0] as StatsRecord), view);
  }
});
