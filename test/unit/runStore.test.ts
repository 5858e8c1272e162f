import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunInfo } from '../../protocol/run';
import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { listRuns, newRunDir, OWNER_FILE, readRun, RunRecorder } from '../../engine/runs/runStore';
import { sweepInterruptedRuns, sweepRunDirs } from '../../engine/runs/interruptedRuns';

const info: RunInfo = {
  id: 'r1', name: 'xor', modelFile: '/w/xor.model.yaml', startedAt: '2026-01-01T00:00:00.000Z', epochs: 3, batchSize: 32,
  batchesPerEpoch: 2, trainSamples: 64, valSamples: 16, backend: 'wasm', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33,
};
const epoch = (n: number) => ({ epoch: n, loss: 1 / n, accuracy: 0.5 + n / 10, valLoss: 1.1 / n, learningRate: 0.05, samplesPerSec: 1000, elapsedMs: n * 10 });

function recordRun(root: string): string {
  const dir = newRunDir(root, 'xor', new Date('2026-01-02T03:04:05Z'));
  const rec = new RunRecorder(dir);
  rec.writeModel('name: xor\n', '/w/xor.model.yaml');
  rec.writeInfo(info);
  for (let e = 1; e <= 3; e++) {
    rec.append([{ step: 2 * e - 1, epoch: e, x: e - 0.5, loss: 1 / e }, { step: 2 * e, epoch: e, x: e, loss: 0.9 / e }], [epoch(e)]);
  }
  rec.writeSummary({ status: 'completed', endedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, epochsDone: 3, final: epoch(3) });
  return dir;
}

test('a run record reads back whole, and run folders are named by time and model', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-runs-'));
  const dir = recordRun(root);
  assert.match(dir, /\.modellab\/runs\/20260102-030405-xor$/);
  assert.equal(readFileSync(join(dir, 'model.yaml'), 'utf8'), 'name: xor\n');
  const snap = readRun(dir);
  assert.equal(snap?.status, 'completed');
  assert.equal(snap?.epochs.length, 3);
  assert.equal(snap?.batches.length, 6);
  assert.deepEqual(snap?.epochs[2], epoch(3));
  assert.equal(newRunDir(root, 'xor', new Date('2026-01-02T03:04:05Z')).endsWith('-xor-1'), true, 'same second: a unique folder');
  assert.deepEqual(listRuns(root).map((d) => d.split('/').pop()), ['20260102-030405-xor-1', '20260102-030405-xor']);
  rmSync(root, { recursive: true });
});

test('metrics.jsonl cut at every byte offset reads as a valid prefix, and garbage appended is ignored', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-cut-'));
  const dir = recordRun(root);
  const full = readFileSync(join(dir, 'metrics.jsonl'));
  const whole = readRun(dir);
  rmSync(join(dir, 'summary.json'));
  let previous = 0;
  for (let cut = 0; cut <= full.length; cut++) {
    writeFileSync(join(dir, 'metrics.jsonl'), full.subarray(0, cut));
    const snap = readRun(dir);
    assert.ok(snap, `cut at ${cut}`);
    const n = snap.batches.length + snap.epochs.length;
    assert.ok(n >= previous, 'a longer prefix never reads fewer points');
    previous = n;
    assert.deepEqual(snap.epochs, whole?.epochs.slice(0, snap.epochs.length));
    assert.equal(snap.status, 'failed', 'no summary: the run did not finish');
    assert.match(snap.summary?.error ?? '', /ended without a summary/);
  }
  assert.equal(previous, 9);
  writeFileSync(join(dir, 'metrics.jsonl'), Buffer.concat([full, Buffer.from('{"kind":"epo\u0000\xff garbage\n{]')]));
  assert.equal(readRun(dir)?.epochs.length, 3);
  rmSync(root, { recursive: true });
});

test('an unreadable or foreign folder is not a run; a folder that cannot be written warns once and never throws', () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-bad-'));
  assert.equal(readRun(root), undefined);
  writeFileSync(join(root, 'run.json'), '{"not": "a run"}');
  assert.equal(readRun(root), undefined);
  const warnings: string[] = [];
  const rec = new RunRecorder(join(root, 'missing', 'folder'), (m) => warnings.push(m));
  rec.writeInfo(info);
  rec.append([], [epoch(1)]);
  rec.writeSummary({ status: 'completed', endedAt: '', durationMs: 0, epochsDone: 1 });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /could not write the run record/);
  rmSync(root, { recursive: true });
});

/** A record cut off after `epochs` of 3 epochs, as if written by process `pid` (undefined: no owner file). */
function unfinishedRun(root: string, name: string, epochs: number, pid: number | undefined): string {
  const dir = newRunDir(root, name);
  const rec = new RunRecorder(dir);
  rec.writeInfo({ ...info, name });
  for (let e = 1; e <= epochs; e++) rec.append([{ step: e, epoch: e, x: e, loss: 1 / e }], [epoch(e)]);
  if (pid === undefined) rmSync(join(dir, OWNER_FILE));
  else writeFileSync(join(dir, OWNER_FILE), JSON.stringify({ pid, host: hostname() }));
  return dir;
}

/** A real process: alive until `end` is called; `ended` resolves once it has exited. */
function child() {
  const p = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  const ended = new Promise<void>((resolve) => p.on('exit', () => resolve()));
  return { pid: p.pid as number, end: async () => { p.kill('SIGKILL'); await ended; } };
}

test('a run whose process died unfinished (window reloaded) is recorded as interrupted; a live one is not', async () => {
  const root = mkdtempSync(join(tmpdir(), 'ml-interrupted-'));
  const dead = child();
  await dead.end();
  const live = child();
  try {
    const lost = unfinishedRun(root, 'lost', 2, dead.pid);
    const elsewhere = unfinishedRun(root, 'elsewhere', 1, live.pid);
    const here = unfinishedRun(root, 'here', 1, process.pid);
    const unknown = unfinishedRun(root, 'unknown', 1, undefined);
    const finished = recordRun(root);
    assert.equal(JSON.parse(readFileSync(join(here, OWNER_FILE), 'utf8')).pid, process.pid, 'the recorder names its process');

    const sweep = sweepInterruptedRuns([root]);
    assert.deepEqual(sweep.marked, [lost], 'only the run of the dead process is marked');
    assert.deepEqual(sweep.waiting, [elsewhere], 'the run of a live process is left to train');
    for (const dir of [elsewhere, here, unknown]) assert.equal(existsSync(join(dir, 'summary.json')), false, `${dir} untouched`);
    assert.equal(readRun(finished)?.status, 'completed');

    const snap = readRun(lost);
    assert.equal(snap?.status, 'failed');
    assert.match(snap?.summary?.error ?? '', /^Interrupted after 2 of 3 epochs: the window was reloaded or closed .* The epochs recorded so far are kept/);
    assert.equal(snap?.summary?.epochsDone, 2);
    assert.deepEqual(snap?.summary?.final, epoch(2));
    assert.equal(snap?.epochs.length, 2, 'nothing recorded is lost');
    assert.equal(sweepInterruptedRuns([root]).marked.length, 0, 'marked once');

    // The other window closes: the next look marks its run too.
    await live.end();
    assert.deepEqual(sweepRunDirs(sweep.waiting).marked, [elsewhere]);
    assert.match(readRun(elsewhere)?.summary?.error ?? '', /^Interrupted after 1 of 3 epochs/);
    // Without an owner the reader still says what happened, without writing anything.
    assert.match(readRun(unknown)?.summary?.error ?? '', /interrupted after 1 epoch \(the window was reloaded or closed/);
  } finally {
    await live.end().catch(() => {});
    rmSync(root, { recursive: true });
  }
});
