// Picked-example feature maps through the host's real paths: a TrainingRun's worker answers a pick
// at once and after every epoch; once the run has ended, RecordedMapsWorker starts a worker that
// loads the run's saved model and answers with the same maps as the last epoch. Slow tier: it
// trains a conv net in a worker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { PickedMaps, PickedMapsReply } from '../../protocol/pickedMaps';
import { newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { TrainingRun } from '../../host/trainingRun';
import { RecordedMapsWorker } from '../../host/recordedMapsWorker';
import { bundledWorker, workerBundle } from '../unit/workerBundle';
import { cnnRunInfo as info, example, repo } from '../unit/helpers';

const CNN = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 2');
const log = { info: () => {}, warn: () => {}, error: () => {} };
const mapsOf = (r: PickedMapsReply | undefined): PickedMaps => {
  assert.ok(r && 'maps' in r, r && 'error' in r ? r.error : 'no answer');
  return r.maps;
};

test('a pick goes to the training worker while the run trains, and to the saved model after it ends', async () => {
  const recorder = new RunRecorder(newRunDir(mkdtempSync(join(tmpdir(), 'ml-pick-')), 'cnn'));
  const run = new TrainingRun({ info: info('p1', 2), source: CNN, extensionPath: repo, backend: 'auto', recorder, log, createWorker: bundledWorker() });
  const replies: PickedMapsReply[] = [];
  run.inside.onDidChange((e) => e.type === 'pickedMaps' && replies.push(e.reply));
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e) => e.type === 'status' && resolve()));
  assert.equal(run.pickMaps({ split: 'train', index: 4 }), true, 'a live run takes the pick');
  await ended;
  assert.equal(run.snapshot.status, 'completed');
  assert.deepEqual(replies.map((r) => mapsOf(r).epoch), [0, 1, 2], 'answered when training began and after each epoch');
  assert.equal(run.inside.unanswered, undefined);
  assert.equal(run.pickMaps({ split: 'train', index: 5 }), false, 'an ended run does not');
  assert.deepEqual(run.inside.unanswered, { split: 'train', index: 5 }, 'the host sees the pick is still to answer');

  const saving = new RecordedMapsWorker({ runDir: recorder.dir, modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: () => new Worker(workerBundle()) });
  const fromSaved = await saving.request({ split: 'train', index: 4 });
  saving.dispose();
  const last = mapsOf(replies[2]);
  const saved = mapsOf(fromSaved);
  assert.deepEqual([saved.epoch, saved.layers, saved.label, saved.predicted], [last.epoch, last.layers, last.label, last.predicted], 'the saved model draws what the last epoch drew');

  // A worker that dies before answering is an answer too (the panel is not left waiting).
  const died = await new RecordedMapsWorker({ runDir: recorder.dir, modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: () => new Worker('process.exit(3)', { eval: true }) })
    .request({ split: 'train', index: 1 });
  assert.ok(died && 'error' in died && /exit code 3/.test(died.error), JSON.stringify(died));

  // A record without a model file says so instead of starting a worker.
  const empty = mkdtempSync(join(tmpdir(), 'ml-pick-empty-'));
  const said = await new RecordedMapsWorker({ runDir: empty, modelFile: '', extensionPath: repo, backend: 'auto', log, createWorker: () => assert.fail('no worker for a record without a model file') }).request({ split: 'train', index: 0 });
  assert.ok(said && 'error' in said && /has no model file/.test(said.error));
});
