// The experiment notebook's core: the .modelnb file, patch cells merged onto the model above,
// the cell outputs, and finding a cell's last run in the records by the model text it trained.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BatchPoint, RunSnapshot } from '../../protocol/run';
import { diffPatch, mergePatch } from '../../host/notebook/mergePatch';
import { kindOfLanguage, languageOfKind, readNotebookFile, writeNotebookFile, type NotebookFileCell } from '../../host/notebook/notebookFile';
import { resolveCells } from '../../host/notebook/resolveCells';
import { curvesOutput, finalMetricsLine, modelReport, thin } from '../../host/notebook/cellOutput';
import { findLastRuns } from '../../host/notebook/lastRuns';
import { asCurvesOutput } from '../../protocol/notebook';
import { newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { parseModel } from '../../model/language/parse';
import { example, XOR } from './helpers';

test('mergePatch: maps merge deeply, lists and scalars replace, null deletes; inputs untouched', () => {
  const base = { train: { learningRate: 0.05, optimizer: { sgd: { momentum: 0.9 } }, epochs: 60 }, model: { layers: [{ dense: { units: 8 } }, { dense: { units: 1 } }] } };
  const before = JSON.stringify(base);
  const patch = { train: { learningRate: 0.3, optimizer: { sgd: { nesterov: true } }, epochs: null }, model: { layers: [{ dense: { units: 1 } }] } };
  assert.deepEqual(mergePatch(base, patch), {
    train: { learningRate: 0.3, optimizer: { sgd: { momentum: 0.9, nesterov: true } } },
    model: { layers: [{ dense: { units: 1 } }] },
  });
  assert.equal(JSON.stringify(base), before, 'the base is not changed');
  assert.equal(mergePatch(base, 3), 3, 'a non-map patch replaces the whole value');
  assert.deepEqual(mergePatch(undefined, { a: { b: 1 } }), { a: { b: 1 } });
});

test('diffPatch gives the smallest patch, and merging it reproduces the target', () => {
  const a = { name: 'x', train: { learningRate: 0.05, epochs: 60 }, data: { noise: 0.1 } };
  const b = { name: 'x', train: { learningRate: 0.5, epochs: 60 }, model: { input: [2] } };
  const d = diffPatch(a, b);
  assert.deepEqual(d, { data: null, train: { learningRate: 0.5 }, model: { input: [2] } });
  assert.deepEqual(mergePatch(a, d), b);
  assert.deepEqual(diffPatch(a, a), {});
});

test('.modelnb: lines per cell, stable key order, round trip, and clear errors', () => {
  const cells: NotebookFileCell[] = [
    { kind: 'markdown', source: '# Title\n\ntext' },
    { kind: 'model', source: 'name: a\ndata: {}' },
    { kind: 'model', language: 'modellab-json', source: '{"name": "b"}' },
    { kind: 'patch', source: 'train:\n  learningRate: 0.3' },
  ];
  const text = writeNotebookFile(cells);
  assert.match(text, /"source": \[\n\s+"train:",\n\s+"  learningRate: 0.3"\n/, 'each line of a cell is its own JSON line');
  assert.deepEqual(readNotebookFile(text), { cells });
  assert.equal(writeNotebookFile((readNotebookFile(text) as { cells: NotebookFileCell[] }).cells), text, 'saving again changes nothing');
  assert.deepEqual(readNotebookFile(''), { cells: [] });
  assert.match((readNotebookFile('{') as { error: string }).error, /not valid JSON/);
  assert.match((readNotebookFile('{"cells": [{"kind": "code", "source": []}]}') as { error: string }).error, /Cell 1: "kind"/);
  assert.match((readNotebookFile('{"cells": [{"kind": "patch", "source": [1]}]}') as { error: string }).error, /Cell 1: "source"/);
  assert.match((readNotebookFile('{"modelLabNotebook": 9, "cells": []}') as { error: string }).error, /format 9/);
  for (const c of cells) assert.deepEqual({ ...kindOfLanguage(languageOfKind(c), c.kind === 'markdown'), source: c.source }, c, `language <-> kind for ${c.kind}`);
});

test('resolveCells: patches chain onto the model above; errors say why and stop the chain', () => {
  const r = resolveCells([
    { kind: 'markdown', source: 'notes' },
    { kind: 'model', source: XOR },
    { kind: 'patch', source: 'train:\n  learningRate: 0.3' },
    { kind: 'patch', source: 'name: xor-wide\nmodel:\n  layers:\n    - dense: {units: 16, activation: tanh}\n    - dense: {units: 1, activation: sigmoid}' },
  ]);
  assert.equal(r[0], undefined);
  assert.deepEqual(r[1], { text: XOR, patched: false }, 'a model cell trains its own text, line numbers intact');
  const third = parseModel((r[2] as { text: string }).text);
  assert.equal(third.spec?.train.learningRate, 0.3);
  assert.equal(third.spec?.train.epochs, 60, 'untouched keys come from the model above');
  const fourth = parseModel((r[3] as { text: string }).text);
  assert.equal(fourth.spec?.name, 'xor-wide');
  assert.equal(fourth.spec?.train.learningRate, 0.3, 'the patch applies to the patched model above, not the first');
  assert.equal(fourth.summary?.totalParams, 2 * 16 + 16 + 16 + 1);

  const bad = resolveCells([
    { kind: 'patch', source: 'train: {learningRate: 1}' },
    { kind: 'model', source: 'name: [unclosed' },
    { kind: 'patch', source: 'train: {learningRate: 1}' },
    { kind: 'model', source: XOR },
    { kind: 'patch', source: '- a list' },
  ]);
  assert.match((bad[0] as { error: string }).error, /no model cell above/);
  assert.ok('error' in (bad[1] as object));
  assert.match((bad[2] as { error: string }).error, /cell above has errors/);
  assert.ok('text' in (bad[3] as object));
  assert.match((bad[4] as { error: string }).error, /as a map/);
});

test('examples/lr-sweep.modelnb: three cells training xor at learning rates 0.01, 0.3 and 0.6', () => {
  const file = readNotebookFile(example('lr-sweep.modelnb'));
  assert.ok('cells' in file);
  const models = resolveCells(file.cells).filter((r) => r !== undefined).map((r) => parseModel((r as { text: string }).text));
  assert.deepEqual(models.map((m) => m.spec?.train.learningRate), [0.01, 0.3, 0.6]);
  assert.deepEqual(models.map((m) => m.spec?.name), ['xor-lr0.01', 'xor-lr0.3', 'xor-lr0.6']);
  assert.ok(models.every((m) => m.spec?.data.dataset === 'xor' && m.diagnostics.every((d) => d.severity !== 'error')));
});

const point = (i: number): BatchPoint => ({ step: i + 1, epoch: 1, x: i / 100, loss: 1 / (i + 1) });
const snapshot = (over: Partial<RunSnapshot> = {}): RunSnapshot => ({
  info: { id: 'r', name: 'xor', modelFile: '/w/a.modelnb', startedAt: '', epochs: 40, batchSize: 32, batchesPerEpoch: 10, trainSamples: 320, valSamples: 80, backend: 'wasm', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33 },
  status: 'completed',
  batches: Array.from({ length: 1000 }, (_, i) => point(i)),
  epochs: [{ epoch: 40, loss: 0.0213, accuracy: 1, valLoss: 0.025, valAccuracy: 0.9875, learningRate: 0.3, samplesPerSec: 1e4, elapsedMs: 3100 }],
  summary: { status: 'completed', endedAt: '', durationMs: 3140, epochsDone: 40 },
  runDir: '/w/.modellab/runs/20261126-101010-xor',
  ...over,
});

test('cell outputs: thinned batch line that ends at the last point, a validated payload, a final line', () => {
  const pts = Array.from({ length: 1001 }, (_, i) => point(i));
  const t = thin(pts, 100);
  assert.ok(t.length <= 101 && t.length >= 90, `thinned to ${t.length}`);
  assert.equal(t[t.length - 1], pts[1000]);
  assert.equal(thin(pts.slice(0, 50), 100).length, 50);
  const out = curvesOutput(snapshot());
  assert.ok(out.batches.length <= 601);
  assert.deepEqual(asCurvesOutput(JSON.parse(JSON.stringify(out))), out, 'the renderer accepts what the host sends');
  assert.equal(asCurvesOutput({ ...out, epochs: 'x' }), undefined);
  assert.equal(finalMetricsLine(snapshot()), 'completed · 40/40 epochs · loss 0.02130 · accuracy 1.000 · val loss 0.02500 · val accuracy 0.988 · 3.1 s · run 20261126-101010-xor');
  assert.match(finalMetricsLine(snapshot({ status: 'failed', summary: { status: 'failed', endedAt: '', durationMs: 5, epochsDone: 0, error: 'boom' }, epochs: [] })), /^failed · 0\/40 epochs · 0\.0 s · run .*\nboom$/);
  const parsed = parseModel(XOR);
  const report = modelReport('xor', parsed.summary, [{ severity: 'warning', message: 'Careful.', code: 'w', range: { start: { line: 4, character: 0 }, end: { line: 4, character: 1 } } }], false);
  assert.match(report, /^Model: xor\n/);
  assert.match(report, /Total params: 33 /);
  assert.match(report, /\nwarning: line 5: Careful\. \[w\]$/);
});

test('findLastRuns: the newest record that trained exactly the cell text, per cell', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-nb-'));
  const record = (text: string, when: string) => {
    const dir = newRunDir(root, 'xor', new Date(when));
    new RunRecorder(dir).writeModel(text, '/w/a.modelnb');
    return dir;
  };
  const old = record('name: a\n', '2026-01-01T00:00:00Z');
  const newer = record('name: a\n', '2026-01-02T00:00:00Z');
  const other = record('name: b\n', '2026-01-03T00:00:00Z');
  assert.deepEqual(findLastRuns([root], ['name: a', undefined, 'name: b\r\n', 'name: c']), [newer, undefined, other, undefined]);
  assert.notEqual(old, newer);
  assert.deepEqual(findLastRuns([join(root, 'none')], ['name: a']), [undefined]);
  rmSync(root, { recursive: true });
});
