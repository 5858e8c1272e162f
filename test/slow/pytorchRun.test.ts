// Training through the real PyTorch runner, as the editor and the CLI do: a run completes with its
// curves, statistics and record; Stop ends it as stopped; a killed runner fails the run with a
// message; a disposed host leaves no process behind; the CLI's --json has the tfjs engine's shape.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostToWebview } from '../../protocol/webview';
import { parseModel } from '../../model/language/parse';
import { newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { TrainingRun } from '../../host/trainingRun';
import { PytorchConnection } from '../../host/engines/pytorchProcess';
import { writeEngineFiles } from '../../host/engines/engineFiles';
import { resolveTopology } from '../../host/engines/pytorchLaunch';
import { RecordedTorchMaps } from '../../host/engines/recordedTorchMaps';
import { readBlasChoice } from '../../host/engines/blasCore';
import { datasetsDir, repo, wasmDir, XOR } from '../unit/helpers';
import { info, log } from '../unit/trainingRunHelpers';
import { torchPython } from './torchPython';

const alive = (pid: number | undefined): boolean => {
  if (!pid) return false;
  try {
    process.kill(-pid, 0); // the whole group: torchrun's ranks too
    return true;
  } catch {
    return false;
  }
};

/** The ranks torchrun started (its process group, without torchrun itself). */
const ranksOf = (pgid: number): number[] => spawnSync('ps', ['-o', 'pid=,args=', '-g', String(pgid)], { encoding: 'utf8' }).stdout
  .split('\n').filter((l) => /-m modellab_torch/.test(l) && !/torch\.distributed\.run/.test(l)).map((l) => Number(l.trim().split(/\s+/)[0]));

function startRun(id: string, text: string) {
  const r = parseModel(text, { checkData: false });
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  const spec = r.spec;
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-torch-')), id));
  let connection: PytorchConnection | undefined;
  const run = new TrainingRun({
    info: { ...info(id), engine: 'pytorch' }, source: text, extensionPath: repo, backend: 'auto', recorder, log,
    connect: (h) => (connection = new PytorchConnection({
      python: torchPython(), runnerDir: join(repo, 'engines', 'pytorch'), runId: id, spec, place: { datasetsDir, modelFile: '' },
      dataDir: recorder.dir, runDir: recorder.dir, device: 'cpu', topology: resolveTopology(spec), log,
      writeData: () => writeEngineFiles(spec, { datasetsDir, modelFile: '' }, recorder.dir, wasmDir),
    }, h)),
  });
  const events: HostToWebview[] = [];
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => {
    events.push(e);
    if (e.type === 'status') resolve();
  }));
  const firstProgress = new Promise<void>((resolve) => run.onDidUpdate((e) => { if (e.type === 'append') resolve(); }));
  return { run, ended, firstProgress, events, dir: recorder.dir, pid: () => connection?.pid };
}

test('xor trains on PyTorch through TrainingRun: curves, statistics, the record, the data files, no process left', async () => {
  const { run, ended, dir, pid } = startRun('t-xor', XOR.replace('epochs: 60', 'epochs: 40'));
  await ended;
  const s = run.snapshot;
  assert.equal(s.status, 'completed', s.summary?.error);
  assert.equal(s.epochs.length, 40);
  assert.ok((s.summary?.final?.valAccuracy ?? 0) >= 0.9, `val accuracy ${s.summary?.final?.valAccuracy}`);
  assert.equal(s.info.engine, 'pytorch');
  assert.match(s.info.backend, /^pytorch \(cpu\)$/);
  assert.ok(run.inside.records.some((r) => r.when === 'init') && run.inside.records.some((r) => r.when === 'epoch'), 'statistics for the inside panels');
  for (const f of ['run.json', 'metrics.jsonl', 'summary.json', 'data.json', 'data.bin', 'stats.jsonl']) assert.ok(existsSync(join(dir, f)), f);
  assert.equal(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).engine, 'pytorch');
  await new Promise((r) => setTimeout(r, 2500));
  assert.equal(alive(pid()), false, 'the runner is gone');
});

test('feature maps of a picked example: from the runner while it trains, from its saved weights after', async () => {
  const cnn = readFileSync(join(repo, 'examples', 'digits-cnn.model.yaml'), 'utf8').replace('epochs: 15', 'epochs: 2');
  const { run, ended, firstProgress, dir } = startRun('t-maps', cnn);
  await firstProgress;
  assert.ok(run.pickMaps({ split: 'train', index: 1 }));
  await ended;
  assert.equal(run.snapshot.status, 'completed', run.snapshot.summary?.error);
  const live = run.inside.picked;
  assert.ok(live && 'maps' in live, `the runner answered the pick while training: ${JSON.stringify(live)?.slice(0, 200)}`);
  assert.ok(existsSync(join(dir, 'weights.json')), 'the final weights are kept with the record');
  const served = new RecordedTorchMaps({ runDir: dir, modelFile: '', python: torchPython(), runnerDir: join(repo, 'engines', 'pytorch'), datasetsDir, log });
  try {
    const reply = await served.request({ split: 'train', index: 1 });
    assert.ok(reply && 'maps' in reply, JSON.stringify(reply)?.slice(0, 300));
    assert.deepEqual(reply.maps.layers.map((l) => l.id), live.maps.layers.map((l) => l.id), 'the same conv layers');
    assert.equal(reply.maps.epoch, 2, 'the final weights, after epoch 2');
    const other = await served.request({ split: 'validation', index: 0 });
    assert.ok(other && 'maps' in other && other.pick.split === 'validation');
  } finally {
    served.dispose();
  }
});

test('Stop ends a PyTorch run as stopped; killing the runner fails the run with its reason; dispose leaves nothing', async () => {
  const long = XOR.replace('epochs: 60', 'epochs: 5000');
  const stopped = startRun('t-stop', long);
  await stopped.firstProgress;
  stopped.run.stop();
  await stopped.ended;
  assert.equal(stopped.run.snapshot.status, 'stopped');
  assert.ok(stopped.run.snapshot.epochs.length < 5000);

  const killed = startRun('t-kill', long);
  await killed.firstProgress;
  const pid = killed.pid();
  assert.ok(pid && alive(pid));
  // The runner got the OpenBLAS core its interpreter's probe chose (host/engines/blasCore.ts), before torch loaded.
  const chosen = readBlasChoice(spawnSync(torchPython(), ['-m', 'modellab_torch.blas'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(repo, 'engines', 'pytorch') } }).stdout);
  const runnerEnv = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  if (!process.env.OPENBLAS_CORETYPE) assert.equal(runnerEnv.find((v) => v.startsWith('OPENBLAS_CORETYPE='))?.slice(18), chosen.coretype);
  process.kill(pid, 'SIGKILL');
  await killed.ended;
  assert.equal(killed.run.snapshot.status, 'failed');
  assert.match(killed.run.snapshot.summary?.error ?? '', /The PyTorch runner exited unexpectedly/);

  const disposed = startRun('t-dispose', long);
  await disposed.firstProgress;
  const dpid = disposed.pid();
  disposed.run.dispose();
  assert.equal(disposed.run.snapshot.status, 'failed', 'recorded as interrupted');
  const t0 = Date.now();
  while (alive(dpid) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(dpid), false, 'no process left after the host went away');
});

test('two processes under torchrun: each rank\'s throughput reaches the panel; a killed rank fails the run and takes every process with it', async () => {
  const two = startRun('t-two', XOR.replace('epochs: 60', 'epochs: 3\n  processes: 2'));
  await two.ended;
  assert.equal(two.run.snapshot.status, 'completed', two.run.snapshot.summary?.error);
  assert.equal(two.run.snapshot.info.ranks, 2);
  assert.equal(two.run.snapshot.rankSamplesPerSec?.length, 2);
  assert.ok(two.events.some((e) => e.type === 'append' && e.rankSamplesPerSec?.length === 2));

  const victim = startRun('t-rank', XOR.replace('epochs: 60', 'epochs: 5000\n  processes: 2'));
  await victim.firstProgress;
  const group = victim.pid() as number;
  const ranks = ranksOf(group);
  assert.equal(ranks.length, 2, `ranks of ${group}`);
  process.kill(ranks[1] as number, 'SIGKILL');
  await victim.ended;
  assert.equal(victim.run.snapshot.status, 'failed');
  const t0 = Date.now();
  while (alive(group) && Date.now() - t0 < 8000) await new Promise((r) => setTimeout(r, 100));
  assert.equal(alive(group), false, 'torchrun and the other rank are gone');
});

test('model-lab train --engine pytorch --json: the tfjs engine\'s shape; a Python without torch exits 1 on the engine line', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  const r = cli('train', 'examples/xor.model.yaml', '--engine', 'pytorch', '--python', torchPython(), '--json', '--no-record');
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as Record<string, unknown>;
  for (const k of ['status', 'final', 'epochs', 'samplesPerSec', 'diagnostics']) assert.ok(k in out, k);
  assert.equal(out.status, 'completed');
  assert.equal((out.epochs as unknown[]).length, 60);
  assert.ok((out.samplesPerSec as number) > 0);
  const venv = mkdtempSync(join(tmpdir(), 'ml-venv-'));
  spawnSync('python3', ['-m', 'venv', '--without-pip', venv]);
  const bad = cli('train', 'examples/xor.model.yaml', '--engine', 'pytorch', '--python', join(venv, 'bin', 'python'), '--no-record');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim().split('\n').length, 1, bad.stderr);
  assert.match(bad.stderr, /xor\.model\.yaml:\d+:\d+: error: .*cannot import torch\. Install it: .* -m pip install torch/);
});
