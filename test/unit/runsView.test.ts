// The Runs view's model: meta.json (crash-safe, never fails a read), best metric, grouping and
// wording, the cached catalog, and delete-with-undo through the trash.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EpochPoint, RunInfo } from '../../protocol/run';
import { bestMetric, describeRun, groupRuns, RunCatalog, runLabel, type RunEntry } from '../../engine/runs/runList';
import { META_FILE, parseTags, readRunMeta, updateRunMeta } from '../../engine/runs/runMeta';
import { listRuns, newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { restoreRun, trashRun } from '../../engine/runs/runTrash';

const epoch = (n: number, valAccuracy?: number, valLoss?: number): EpochPoint => ({ epoch: n, loss: 1 / n, learningRate: 0.1, samplesPerSec: 1, elapsedMs: n * 100, ...(valAccuracy !== undefined ? { valAccuracy } : {}), ...(valLoss !== undefined ? { valLoss } : {}) });

function record(root: string, name: string, when: string, modelFile: string, epochs: EpochPoint[], done = true): string {
  const dir = newRunDir(root, name, new Date(when));
  const info: RunInfo = { id: name, name, modelFile, startedAt: when, epochs: epochs.length, batchSize: 1, batchesPerEpoch: 1, trainSamples: 1, valSamples: 1, backend: 'cpu', metrics: ['loss'], dataset: 'xor', seed: 1, totalParams: 1 };
  const rec = new RunRecorder(dir);
  rec.writeModel(`name: ${name}\n`, modelFile);
  rec.writeInfo(info);
  rec.append([], epochs);
  if (done) rec.writeSummary({ status: 'completed', endedAt: when, durationMs: 3100, epochsDone: epochs.length });
  return dir;
}

test('meta.json: written whole, and a file cut at any byte (or garbage) reads without failing', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-meta-'));
  assert.deepEqual(readRunMeta(dir), { tags: [], pinned: false, hidden: false });
  const written = updateRunMeta(dir, (m) => ({ ...m, displayName: 'baseline', tags: ['a', 'b'], pinned: true }));
  assert.deepEqual(readRunMeta(dir), written);
  assert.equal(existsSync(join(dir, `${META_FILE}.tmp`)), false, 'the temporary file is renamed over meta.json');
  const text = readFileSync(join(dir, META_FILE), 'utf8');
  for (let cut = 0; cut < text.length; cut++) {
    writeFileSync(join(dir, META_FILE), text.slice(0, cut));
    const m = readRunMeta(dir);
    assert.ok(Array.isArray(m.tags) && typeof m.pinned === 'boolean', `cut at ${cut}`);
  }
  writeFileSync(join(dir, META_FILE), '{"tags": [1, "x", ""], "pinned": "yes", "displayName": "  "}');
  assert.deepEqual(readRunMeta(dir), { tags: ['x'], pinned: false, hidden: false });
  assert.deepEqual(parseTags(' a, #b  b,, c '), ['a', 'b', 'c']);
  rmSync(dir, { recursive: true });
});

test('best metric: highest val accuracy, else lowest val loss, else training loss', () => {
  assert.deepEqual(bestMetric([epoch(1, 0.5), epoch(2, 0.9), epoch(3, 0.8)]), { metric: 'valAccuracy', value: 0.9, epoch: 2 });
  assert.deepEqual(bestMetric([epoch(1, undefined, 0.7), epoch(2, undefined, 0.3), epoch(3, undefined, Number.NaN)]), { metric: 'valLoss', value: 0.3, epoch: 2 });
  assert.deepEqual(bestMetric([epoch(1), epoch(4)]), { metric: 'loss', value: 0.25, epoch: 4 });
  assert.equal(bestMetric([]), undefined);
});

test('catalog and grouping: by model file, pinned first then newest, hidden left out unless asked; wording', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-view-'));
  const a1 = record(root, 'a', '2026-01-01T00:00:00Z', '/w/a.model.yaml', [epoch(1, 0.6), epoch(2, 0.75)]);
  const a2 = record(root, 'a', '2026-01-02T00:00:00Z', '/w/a.model.yaml', [epoch(1, 0.7)]);
  const b1 = record(root, 'b', '2026-01-03T00:00:00Z', '/w/b.modelnb', [epoch(1, undefined, 0.5)], false);
  updateRunMeta(a1, (m) => ({ ...m, pinned: true, tags: ['baseline'] }));
  updateRunMeta(a2, (m) => ({ ...m, hidden: true }));
  const catalog = new RunCatalog();
  const entries = catalog.read([root]);
  assert.equal(entries.length, 3);
  const groups = groupRuns(entries, false);
  assert.deepEqual(groups.map((g) => [g.modelFile, g.runs.map((r) => r.dir)]), [['/w/b.modelnb', [b1]], ['/w/a.model.yaml', [a1]]]);
  assert.deepEqual(groupRuns(entries, true)[1]?.runs.map((r) => r.dir), [a1, a2], 'pinned first even though older');
  const e1 = entries.find((e) => e.dir === a1) as RunEntry;
  assert.equal(describeRun(e1), 'val acc 0.750 · 3.1 s · #baseline', 'completed is the icon, not text');
  assert.equal(describeRun(entries.find((e) => e.dir === b1) as RunEntry), 'failed · val loss 0.500 · 0.1 s', 'no summary: the run died (the view overlays live runs)');
  assert.equal(runLabel(e1, new Date('2026-03-04T10:00:00Z')), 'a 01-01 00:00', 'another day: date and time');
  assert.equal(runLabel(e1, new Date('2026-01-01T18:00:00Z')), 'a 00:00:00', 'today: the time');
  updateRunMeta(a1, (m) => ({ ...m, displayName: 'first try' }));
  assert.equal(runLabel(catalog.read([root]).find((e) => e.dir === a1) as RunEntry), 'first try', 'a changed meta.json is read again');
  rmSync(root, { recursive: true });
});

test('delete moves the run to the trash in one rename; undo brings it back whole', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-trash-'));
  const dir = record(root, 'a', '2026-01-01T00:00:00Z', '/w/a.model.yaml', [epoch(1)]);
  const before = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
  const t = trashRun(dir, 42);
  assert.deepEqual(listRuns(root), []);
  assert.match(t.to, /\.modellab\/trash\/20260101-000000-a~42$/);
  restoreRun(t);
  assert.deepEqual(listRuns(root), [dir]);
  assert.equal(readFileSync(join(dir, 'metrics.jsonl'), 'utf8'), before);
  const again = trashRun(dir, 43);
  record(root, 'a', '2026-01-01T00:00:00Z', '/w/a.model.yaml', [epoch(1)]);
  assert.throws(() => restoreRun(again), /exists again/, 'never overwrites a run that took the name meanwhile');
  rmSync(root, { recursive: true });
});
