// A CSV file without line breaks stops at the line limit instead of growing one string: 200 MB of a
// sparse file are read to find that out. Slow tier for the reading. The other data limits are in
// test/unit/dataLimits.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { forEachLine, LineTooLongError, loadCsv } from '../../engine/data/csv';
import { DataError } from '../../engine/data/dataError';
import { MAX_CSV_LINE_CHARS } from '../../engine/data/dataLimits';
import { sparseFile as sparse } from '../unit/helpers';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'ml-limits-'));

test('a CSV without line breaks stops at the line limit instead of growing one string', () => {
  const dir = scratch();
  const path = join(dir, 'flat.csv');
  sparse(path, 200 * 1024 ** 2); // 200 MB of NUL bytes: under the file limit, no line breaks
  assert.throws(() => forEachLine(path, () => {}, 1024 * 1024), (e: Error) => e instanceof LineTooLongError && e.lineNo === 1);
  assert.throws(() => loadCsv(path, { target: 'y', classify: false, label: 'flat.csv', key: 'csv' }),
    (e: Error) => e instanceof DataError && e.key === 'csv' && new RegExp(`flat\\.csv:1: line 1 is longer than ${MAX_CSV_LINE_CHARS.toLocaleString('en-US')} characters`).test(e.message));
});
