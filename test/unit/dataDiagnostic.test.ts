// A problem found in the user's data while loading it (here a ragged CSV row) ends the run with a
// message naming the model file's line and the CSV's line, and is also a diagnostic on the `csv`
// key, so it shows in the Problems panel where the data is named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { csvModel } from './helpers';
import { trainUntilFailure } from './trainingHelpers';

const MODEL = `${csvModel('ragged', 'data.csv', 2)}  epochs: 1\n`;

test('a ragged CSV row fails the run naming both lines, and is a diagnostic on the csv key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-datadiag-'));
  writeFileSync(join(dir, 'data.csv'), 'a,b,y\n1,2,3\n4,5\n7,8,9\n');
  const modelFile = join(dir, 'ragged.model.yaml');
  const spec = (await parseModelWithDataFiles(MODEL, { modelFile, defaultSeed: 1 })).spec;
  assert.ok(spec);
  const diagnostics = await trainUntilFailure(spec, modelFile, (e: Error) => /ragged\.model\.yaml:3:\d+: data\.csv:3: this row has 2 values/.test(e.message));
  assert.equal(diagnostics.length, 1);
  const d = diagnostics[0]?.[0];
  assert.equal(d?.code, 'data-error');
  assert.equal(d?.severity, 'error');
  assert.equal(d?.range.start.line, 2, 'on the csv: line');
  assert.match(d?.message ?? '', /data\.csv:3: this row has 2 values/);
  assert.deepEqual(d?.answers, [['data']]);
});
