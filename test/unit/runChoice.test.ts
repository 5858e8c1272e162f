import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseRun, noRunsMessage } from '../../host/runChoice';

const sources = (live: Record<string, string>, newest: string | undefined, recorded: Record<string, string>) => ({
  latestFor: (f: string) => live[f],
  latest: () => newest,
  recorded: (f: string | undefined) => (f === undefined ? Object.values(recorded)[0] : recorded[f]),
});

test('the active model file wins over a newer run of another file', () => {
  const s = sources({ '/w/xor.model.yaml': 'xor-live' }, 'xor-live', { '/w/digits.model.yaml': 'digits-rec' });
  assert.deepEqual(chooseRun('/w/digits.model.yaml', s), { kind: 'recorded', run: 'digits-rec' });
  assert.deepEqual(chooseRun('/w/xor.model.yaml', s), { kind: 'live', run: 'xor-live' });
});

test('a model file with no runs gets none, never another file run', () => {
  const s = sources({ '/w/xor.model.yaml': 'xor-live' }, 'xor-live', {});
  assert.deepEqual(chooseRun('/w/digits-cnn.model.yaml', s), { kind: 'none', file: '/w/digits-cnn.model.yaml' });
  assert.match(noRunsMessage('/w/digits-cnn.model.yaml'), /digits-cnn\.model\.yaml has no training runs/);
});

test('without a model file the newest run of the window, then of the workspace', () => {
  assert.deepEqual(chooseRun('/w/readme.md', sources({}, 'a', { x: 'r' })), { kind: 'live', run: 'a' });
  assert.deepEqual(chooseRun(undefined, sources({}, undefined, { x: 'r' })), { kind: 'recorded', run: 'r' });
  assert.deepEqual(chooseRun(undefined, sources({}, undefined, {})), { kind: 'none' });
});
