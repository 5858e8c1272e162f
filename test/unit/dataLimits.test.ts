// Resource bounds on the user's data (a hostile file must not exhaust memory): a 3 GB data file
// (sparse: it takes no disk) is refused with a message on its `data` line while the user types, and
// training that meets it anyway (the file grew, or the CLI) fails with the same message on the same
// line instead of running out of memory. Also bounded: a gzip bomb in IDX, a CSV without line
// breaks, a PNG whose header promises gigapixels, and the decoded features of any set.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataError } from '../../engine/data/dataError';
import { MAX_DATA_FILE_BYTES, checkFeatureBytes } from '../../engine/data/dataLimits';
import { parseIdx } from '../../engine/data/idx';
import { decodeImage } from '../../engine/data/images';
import { parseModel } from '../../model/language/parse';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { csvModel, sparseFile as sparse } from './helpers';
import { trainUntilFailure } from './trainingHelpers';

const GB3 = 3 * 1024 ** 3;

const CSV_MODEL = `${csvModel('huge', 'big.csv', 2)}  epochs: 1\n`;

const IDX_MODEL = `name: huge-idx
data:
  idx: {images: big-images.idx, labels: labels.idx}
model:
  input: [28, 28, 1]
  layers:
    - flatten: {}
    - dense: {units: 10, activation: softmax}
train:
  loss: categoricalCrossentropy
  optimizer: adam
  epochs: 1
`;

const scratch = (): string => mkdtempSync(join(tmpdir(), 'ml-limits-'));

test('a 3 GB CSV is refused on its csv: line while typing', async () => {
  const dir = scratch();
  sparse(join(dir, 'big.csv'), GB3);
  const modelFile = join(dir, 'huge.model.yaml');
  const d = (await parseModelWithDataFiles(CSV_MODEL, { modelFile })).diagnostics.filter((x) => x.code === 'data-too-large');
  assert.equal(d.length, 1, 'one diagnostic');
  assert.equal(d[0]?.severity, 'error');
  assert.match(d[0]?.message ?? '', /'big\.csv' is 3\.0 GiB; Model Lab reads at most 1\.0 GiB of data files per data source/);
  const line = CSV_MODEL.split('\n')[2] as string;
  assert.deepEqual(d[0]?.range, { start: { line: 2, character: line.indexOf('big.csv') }, end: { line: 2, character: line.length } }, 'on the value of csv:');
});

test('training a 3 GB CSV fails at once with the message on the csv: line, without reading it', async (t) => {
  const dir = scratch();
  sparse(join(dir, 'big.csv'), GB3);
  const modelFile = join(dir, 'huge.model.yaml');
  // As if the file grew after the check, or the CLI skipped it: the loader refuses it itself.
  const spec = parseModel(CSV_MODEL, { defaultSeed: 1, checkData: false }).spec;
  assert.ok(spec);
  const before = process.memoryUsage().rss;
  const t0 = Date.now();
  const diagnostics = await trainUntilFailure(spec, modelFile, (e: Error) => /huge\.model\.yaml:3:\d+: 'big\.csv' is 3\.0 GiB; Model Lab reads at most 1\.0 GiB/.test(e.message));
  const ms = Date.now() - t0;
  const grew = process.memoryUsage().rss - before;
  t.diagnostic(`refused in ${ms} ms, resident memory grew ${(grew / 2 ** 20).toFixed(0)} MB`);
  assert.ok(ms < 10_000, 'refused before reading');
  assert.ok(grew < 512 * 1024 ** 2, 'no gigabytes allocated');
  const d = diagnostics[0]?.[0];
  assert.equal(d?.code, 'data-error');
  assert.equal(d?.range.start.line, 2, 'on the csv: line');
  assert.match(d?.message ?? '', /'big\.csv' is 3\.0 GiB/);
});

test('3 GB of IDX files are refused on the idx: line, while typing and when training', async () => {
  const dir = scratch();
  sparse(join(dir, 'big-images.idx'), GB3);
  writeFileSync(join(dir, 'labels.idx'), Buffer.from([0, 0, 8, 1, 0, 0, 0, 0]));
  const modelFile = join(dir, 'huge-idx.model.yaml');
  const typed = (await parseModelWithDataFiles(IDX_MODEL, { modelFile })).diagnostics.find((x) => x.code === 'data-too-large');
  assert.equal(typed?.range.start.line, 2);
  assert.match(typed?.message ?? '', /'big-images\.idx' and 'labels\.idx' are 3\.0 GiB/);
  const spec = parseModel(IDX_MODEL, { defaultSeed: 1, checkData: false }).spec;
  assert.ok(spec);
  const diagnostics = await trainUntilFailure(spec, modelFile, /huge-idx\.model\.yaml:3:\d+: 'big-images\.idx' and 'labels\.idx' are 3\.0 GiB/);
  assert.equal(diagnostics[0]?.[0]?.range.start.line, 2);
});

test('a file just under the limit is not refused for its size', async () => {
  const dir = scratch();
  sparse(join(dir, 'big.csv'), MAX_DATA_FILE_BYTES);
  const d = (await parseModelWithDataFiles(CSV_MODEL, { modelFile: join(dir, 'huge.model.yaml') })).diagnostics;
  assert.ok(!d.some((x) => x.code === 'data-too-large'), 'exactly the limit is allowed');
});

// A CSV without line breaks (200 MB to read) is in test/slow/csvLineLimit.test.ts.

test('a gzipped IDX that unpacks past the limit is refused (a gzip bomb)', () => {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0x27, 0x10, 0, 0, 0, 28, 0, 0, 0, 28]);
  const bomb = gzipSync(Buffer.concat([header, Buffer.alloc(8 * 1024 * 1024)]));
  assert.ok(bomb.length < 64 * 1024, `the bomb is small: ${bomb.length} bytes`);
  assert.throws(() => parseIdx(bomb, 1024 * 1024), /unpacks to more than 1\.0 MiB/);
  assert.equal(parseIdx(bomb, 16 * 1024 * 1024).dims[0], 10_000, 'within the limit it is read');
});

test('a PNG whose header promises gigapixels is refused before decoding', () => {
  const png = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]).copy(png);
  png.writeUInt32BE(100_000, 16);
  png.writeUInt32BE(100_000, 20);
  assert.throws(() => decodeImage(png, 'huge.png'), /100000x100000 pixels, more than 256 MB decoded/);
});

test('decoded features over the limit are refused before the array exists', () => {
  assert.doesNotThrow(() => checkFeatureBytes('set', 1000, 'csv', 4000));
  assert.throws(() => checkFeatureBytes('set', 1001, 'images', 4000), (e: Error) => e instanceof DataError && e.key === 'images' && /set would become 4 KiB of features \(1,001 numbers\)/.test(e.message));
});
