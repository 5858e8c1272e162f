// The run record's diagnostics.json is written asynchronously (the list comes every epoch on the
// extension host's thread), coalesced and atomically (engine/stats/record.ts StatsRecorder).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { TrainingDiagnostic } from '../../protocol/stats';
import { DIAGNOSTICS_FILE, readDiagnostics, StatsRecorder } from '../../engine/stats/record';

const diag = (message: string): TrainingDiagnostic => ({
  severity: 'warning', message, code: 'c', range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, anchor: ['train'], answers: [],
});

test('diagnostics: nothing is written synchronously, the newest list wins, no temp file is left', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-diag-'));
  const recorder = new StatsRecorder(dir);
  recorder.writeDiagnostics([diag('first')]);
  assert.equal(existsSync(join(dir, DIAGNOSTICS_FILE)), false, 'the write happens off the calling turn');
  for (let i = 0; i < 20; i++) recorder.writeDiagnostics([diag(`epoch ${i}`)]);
  await recorder.flushed();
  assert.deepEqual(readDiagnostics(dir).map((d) => d.message), ['epoch 19']);
  assert.deepEqual(readdirSync(dir), [DIAGNOSTICS_FILE], 'the temp file was renamed over the list');
  // A list given while a write is in flight is written after it.
  recorder.writeDiagnostics([diag('a')]);
  await Promise.resolve();
  recorder.writeDiagnostics([]);
  await recorder.flushed();
  assert.deepEqual(readDiagnostics(dir), []);
  assert.equal(readFileSync(join(dir, DIAGNOSTICS_FILE), 'utf8'), '[]');
});

test('diagnostics: a failing write is reported once and later writes go on', async () => {
  const root = mkdtempSync(join(tmpdir(), 'modellab-diag-'));
  const dir = join(root, 'gone');
  const errors: string[] = [];
  const recorder = new StatsRecorder(dir, (m) => errors.push(m));
  recorder.writeDiagnostics([diag('x')]);
  await recorder.flushed();
  recorder.writeDiagnostics([diag('y')]);
  await recorder.flushed();
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0] as string, /could not write statistics/);
  mkdirSync(dir);
  recorder.writeDiagnostics([diag('z')]);
  await recorder.flushed();
  assert.deepEqual(readDiagnostics(dir).map((d) => d.message), ['z']);
  rmSync(root, { recursive: true, force: true });
});

test('the host passes on (and writes) a diagnostics list only when it changed', async () => {
  const { RunInside } = await import('../../host/runInside');
  const dir = mkdtempSync(join(tmpdir(), 'modellab-diag-'));
  const inside = new RunInside(dir);
  const heard: number[] = [];
  inside.onDidChange((e) => e.type === 'diagnostics' && heard.push(e.list.length));
  inside.setDiagnostics([diag('a')]);
  inside.setDiagnostics([diag('a')]);
  inside.setDiagnostics([diag('a'), diag('b')]);
  inside.setDiagnostics([]);
  inside.setDiagnostics([]);
  await inside.flushed();
  assert.deepEqual(heard, [1, 2, 0]);
  assert.deepEqual(readDiagnostics(dir), []);
});
