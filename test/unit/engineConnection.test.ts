// A TrainingRun is engine-agnostic: given any engine connection it shows what the engine sends,
// asks it to stop and kills it after the engine's own grace, and says how an engine that ended
// without 'done' ended (with what it last said).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostToWebview } from '../../protocol/webview';
import type { EngineConnection, EngineHandlers, EngineRequest } from '../../host/engines/engineConnection';
import { TrainingRun } from '../../host/trainingRun';
import { repo } from './helpers';
import { info, log } from './trainingRunHelpers';

class FakeEngine implements EngineConnection {
  readonly label = 'PyTorch runner';
  readonly stopGraceMs = 50;
  readonly sent: EngineRequest[] = [];
  kills = 0;
  constructor(readonly h: EngineHandlers) {}
  send(r: EngineRequest): void {
    this.sent.push(r);
  }
  kill(): void {
    this.kills++;
  }
}

function runOn(id: string, hangTimeoutMs?: number) {
  let engine: FakeEngine | undefined;
  const run = new TrainingRun({ info: info(id), source: 'x', extensionPath: repo, backend: 'auto', log, connect: (h) => (engine = new FakeEngine(h)), ...(hangTimeoutMs ? { hangTimeoutMs } : {}) });
  const events: HostToWebview[] = [];
  run.onDidUpdate((e) => events.push(e));
  return { run, engine: engine as FakeEngine, events };
}

test('messages of any engine reach the panel; rank throughputs ride along; done ends the run and kills the engine', () => {
  const { run, engine, events } = runOn('e1');
  engine.h.onMessage({ type: 'started', info: { ...info('other'), backend: 'pytorch (cpu)', engine: 'pytorch', ranks: 2 } });
  engine.h.onMessage({ type: 'progress', batches: [{ step: 1, epoch: 1, x: 0.5, loss: 1 }], epochs: [], rankSamplesPerSec: [10, 12] });
  assert.equal(run.snapshot.info.id, 'e1', 'the host keeps its own id');
  assert.equal(run.snapshot.info.ranks, 2);
  assert.deepEqual(run.snapshot.rankSamplesPerSec, [10, 12]);
  assert.deepEqual(events.find((e) => e.type === 'append'), { type: 'append', runId: 'e1', batches: [{ step: 1, epoch: 1, x: 0.5, loss: 1 }], epochs: [], rankSamplesPerSec: [10, 12] });
  assert.ok(run.pickMaps({ split: 'train', index: 3 }));
  assert.deepEqual(engine.sent, [{ type: 'pickMaps', pick: { split: 'train', index: 3 } }]);
  engine.h.onMessage({ type: 'done', summary: { status: 'completed', endedAt: '', durationMs: 5, epochsDone: 1 } });
  assert.equal(run.snapshot.status, 'completed');
  assert.equal(engine.kills, 1);
  run.dispose();
});

test('Stop asks, then kills after the engine\'s grace; an exit then is a stop', async () => {
  const { run, engine } = runOn('e2');
  run.stop();
  assert.deepEqual(engine.sent, [{ type: 'stop' }]);
  assert.equal(engine.kills, 0);
  await new Promise((r) => setTimeout(r, 80));
  assert.equal(engine.kills, 1, 'killed after stopGraceMs');
  engine.h.onEnd({ kind: 'exit', code: null });
  assert.equal(run.snapshot.status, 'stopped');
  run.dispose();
});

test('an engine that exits on its own fails the run with its last words; a crash with its message', () => {
  const a = runOn('e3');
  a.engine.h.onEnd({ kind: 'exit', code: 1, detail: 'RuntimeError: no CUDA GPU' });
  assert.equal(a.run.snapshot.status, 'failed');
  assert.equal(a.run.snapshot.summary?.error, 'The PyTorch runner exited unexpectedly (code 1). It said: RuntimeError: no CUDA GPU');
  const b = runOn('e4');
  b.engine.h.onEnd({ kind: 'crash', message: 'The PyTorch runner could not be started with \'py\': spawn py ENOENT' });
  assert.match(b.run.snapshot.summary?.error ?? '', /could not be started/);
  a.run.dispose();
  b.run.dispose();
});

test('an engine waiting for other machines: the panel says so, the watchdog waits; once the wait is over it watches again', async () => {
  const { run, engine, events } = runOn('e-wait', 40);
  engine.h.onWaiting?.('Waiting for 1 more machine to join at 10.0.0.5:29400 (up to 600 s). On each, in the project\'s folder, run: model-lab train m.yaml --engine pytorch --join');
  assert.match(run.snapshot.waiting ?? '', /^Waiting for 1 more machine/);
  assert.ok(events.some((e) => e.type === 'snapshot'), 'the panel is told');
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(run.snapshot.status, 'starting', 'silence while waiting is not a hang');
  assert.equal(engine.kills, 0);
  engine.h.onWaiting?.(undefined);
  assert.equal(run.snapshot.waiting, undefined);
  await new Promise((r) => setTimeout(r, 120));
  assert.equal(run.snapshot.status, 'failed', 'after the wait, a silent engine is a hung one');
  assert.match(run.snapshot.summary?.error ?? '', /stopped responding/);
  run.dispose();
});
