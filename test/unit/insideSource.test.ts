// The reading path of a run picked in the Runs view (host/insideSource.ts): its statistics read
// back, damaged lines dropped, its title. Picks answered by a training worker and by the saved model
// are in test/slow/pickedMapsHost.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newRunDir, RunRecorder } from '../../engine/runs/runStore';
import { recordedAt, runTitle } from '../../host/insideSource';
import { updateRunMeta } from '../../engine/runs/runMeta';
import { cnnRunInfo as info } from './helpers';

test('a run picked in the Runs view reads back its own statistics, damaged lines dropped, and is named in the title', () => {
  const dir = newRunDir(mkdtempSync(join(tmpdir(), 'ml-sel-')), 'older');
  const recorder = new RunRecorder(dir);
  recorder.writeInfo(info('old', 3));
  const record = (epoch: number) => JSON.stringify({ step: epoch * 10, epoch, when: epoch ? 'epoch' : 'init', layers: [{ id: 'dense_1', kind: 'dense', index: 0 }] });
  appendFileSync(join(dir, 'stats.jsonl'), [record(0), record(1), JSON.stringify({ step: 'x', epoch: 2, when: 'epoch', layers: [] }), record(2), record(3)].join('\n') + '\n');
  appendFileSync(join(dir, 'stats.jsonl'), '{"step": 40, "epo'); // torn by a crash
  writeFileSync(join(dir, 'diagnostics.json'), JSON.stringify([{ severity: 'bogus' }]));
  const source = recordedAt(dir);
  assert.ok(source);
  assert.deepEqual(source.records.map((r) => r.epoch), [0, 1, 2, 3], 'the invalid line and the torn one are dropped');
  assert.equal(source.records.filter((r) => r.when === 'epoch').length, 3);
  assert.deepEqual(source.diagnostics, [], 'an invalid diagnostic is dropped');
  assert.equal(source.recorded.info.id, 'old');
  assert.match(runTitle(source), /^digits-cnn \d{8}-\d{6}$/);
  updateRunMeta(dir, (m) => ({ ...m, displayName: 'baseline' }));
  assert.equal(runTitle(source), 'baseline');
  assert.equal(recordedAt(join(dir, 'missing')), undefined);
});
