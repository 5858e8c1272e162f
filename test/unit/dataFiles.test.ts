// The CSV header read of the data-file checks (engine/data/dataFiles.ts): asynchronous, a chunk at
// a time, never past the first line break nor past 64 KB.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstLine, withDataFiles } from '../../engine/data/dataFiles';
import { parseModel } from '../../model/language/parse';
import { XOR } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'ml-firstline-'));
const file = (name: string, content: string | Buffer): string => {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
};

test('the first line of a CSV: plain, CRLF, with a byte-order mark, without a line break, empty', async () => {
  assert.equal(await firstLine(file('plain.csv', 'a,b,y\n1,2,3\n')), 'a,b,y');
  assert.equal(await firstLine(file('crlf.csv', 'a,b,y\r\n1,2,3\r\n')), 'a,b,y');
  assert.equal(await firstLine(file('bom.csv', '\uFEFFa,b,y\n1,2,3\n')), 'a,b,y');
  assert.equal(await firstLine(file('one.csv', 'a,b,y')), 'a,b,y', 'a file that is one line');
  assert.equal(await firstLine(file('empty.csv', '')), '');
  assert.equal(await firstLine(join(dir, 'missing.csv')), undefined);
});

test('a header across read chunks is whole; one longer than 64 KB is not checked', async () => {
  const long = Array.from({ length: 1200 }, (_, i) => `column${i}`).join(','); // about 11 KB: three chunks
  assert.equal(await firstLine(file('wide.csv', `${long}\r\n1,2\n`)), long);
  const crlfAtEdge = `${'x'.repeat(4095)}\r\n1\n`; // the \r ends the first chunk, the \n starts the next
  assert.equal(await firstLine(file('edge.csv', crlfAtEdge)), 'x'.repeat(4095));
  assert.equal(await firstLine(file('huge.csv', `${'y'.repeat(70_000)}\n1\n`)), undefined);
  assert.equal(await firstLine(file('exact.csv', 'z'.repeat(65_536))), undefined, 'no line break within 64 KB');
});

test('an error among the data-file findings leaves no spec; a warning does not', () => {
  const parsed = parseModel(XOR, { defaultSeed: 0 });
  assert.ok(parsed.spec);
  const at = { start: { line: 2, character: 0 }, end: { line: 2, character: 1 } };
  const failed = withDataFiles(parsed, [{ severity: 'error', code: 'data-file', message: 'gone', range: at }]);
  assert.equal(failed.spec, undefined);
  assert.equal(failed.summary, parsed.summary, 'the counts stay');
  assert.equal(failed.diagnostics.at(-1)?.message, 'gone', 'after the parse\'s own');
  const warned = withDataFiles(parsed, [{ severity: 'warning', code: 'w', message: 'hmm', range: at }]);
  assert.equal(warned.spec, parsed.spec);
  assert.equal(withDataFiles(parsed, []), parsed);
});
