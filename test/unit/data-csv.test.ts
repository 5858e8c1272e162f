import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCsv, splitCsvLine } from '../../engine/data/csv';
import { loadTrainingData } from '../../engine/data/loadTraining';
import { parseModel } from '../../model/language/parse';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { datasetsDir } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'modellab-csv-'));
const write = (name: string, text: string): string => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const modelFile = join(dir, 'm.model.yaml');

/** A model file over a CSV; `data` lines are indented by two spaces. Line 2 (0-based) is `csv:`. */
const model = (data: string, opts: { input?: number; units?: number; loss?: string; activation?: string } = {}): string =>
  `name: t\ndata:\n${data}\nmodel:\n  input: [${opts.input ?? 2}]\n  layers:\n    - dense: {units: ${opts.units ?? 1}${opts.activation ? `, activation: ${opts.activation}` : ''}}\ntrain:\n  loss: ${opts.loss ?? 'meanSquaredError'}\n  seed: 1\n`;
const specOf = async (text: string) => {
  const r = await parseModelWithDataFiles(text, { modelFile });
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
const load = async (text: string) => loadTrainingData(await specOf(text), { datasetsDir, modelFile });

test('splitCsvLine: plain fields, quoted commas and doubled quotes', () => {
  assert.deepEqual(splitCsvLine('1,2,x'), ['1', '2', 'x']);
  assert.deepEqual(splitCsvLine('"a,b",2,"say ""hi"""'), ['a,b', '2', 'say "hi"']);
});

test('a numeric target is a regression target; text labels become sorted class indices', () => {
  const path = write('reg.csv', '\uFEFFa,b,y\r\n1,2,3.5\r\n\r\n4,5,6\r\n7,8,"9"\r\n');
  const reg = loadCsv(path, { target: 'y', classify: false, label: 'reg.csv', key: 'csv' });
  assert.equal(reg.n, 3);
  assert.deepEqual(reg.columns, ['a', 'b']);
  assert.deepEqual(Array.from(reg.x), [1, 2, 4, 5, 7, 8]);
  assert.deepEqual(Array.from(reg.y), [3.5, 6, 9]);
  assert.equal(reg.task, 'regression');
  const cls = loadCsv(write('cls.csv', 'kind,x\nzebra,1\nape,2\nzebra,3\ncat,4\n'), { target: 'kind', classify: true, label: 'cls.csv', key: 'csv' });
  assert.deepEqual(cls.classNames, ['ape', 'cat', 'zebra']);
  assert.deepEqual(Array.from(cls.y), [2, 0, 2, 1]);
  assert.deepEqual(Array.from(cls.x), [1, 2, 3, 4]);
  const numericClasses = loadCsv(write('num.csv', 'x,c\n1,10\n2,2\n3,10\n'), { target: 'c', classify: true, label: 'n', key: 'csv' });
  assert.deepEqual(numericClasses.classNames, ['2', '10'], 'numbers sort as numbers');
});

test('a file larger than the read buffer streams with no value lost at chunk edges', () => {
  const rows = Array.from({ length: 6000 }, (_, i) => `${i},${(i * 0.25).toFixed(2)},${i % 7}`);
  const path = write('big.csv', `a,b,y\n${rows.join('\n')}`);
  const ds = loadCsv(path, { target: 'y', classify: false, label: 'big.csv', key: 'csv' });
  assert.equal(ds.n, 6000);
  for (let i = 0; i < 6000; i++) {
    assert.equal(ds.x[2 * i], i);
    assert.equal(ds.x[2 * i + 1], Math.fround(i * 0.25));
    assert.equal(ds.y[i], i % 7);
  }
});

test('a ragged row or a text feature is an error naming the CSV line, placed on the csv key of the model file', async () => {
  write('ragged.csv', 'a,b,y\n1,2,3\n4,5,6\n7,8\n');
  await assert.rejects(() => load(model('  csv: ragged.csv\n  target: y')), (e: Error) => {
    assert.equal(e.message, `${modelFile}:3:8: ragged.csv:4: this row has 2 values; the header has 3 columns.`);
    return true;
  });
  write('text.csv', 'a,b,y\n1,2,3\n4,five,6\n');
  await assert.rejects(() => load(model('  csv: text.csv\n  target: y')), /text\.csv:3: column 'b' holds 'five', not a number/);
  write('textTarget.csv', 'a,b,y\n1,2,3\n4,5,big\n');
  await assert.rejects(() => load(model('  csv: textTarget.csv\n  target: y')), /textTarget\.csv:3: the target 'y' is 'big', not a number.*cross-entropy/);
});

test('in the editor: a missing file is an error on the csv value, a missing column on target', async () => {
  const missing = await parseModelWithDataFiles(model('  csv: nowhere.csv\n  target: y'), { modelFile });
  const d = missing.diagnostics.find((x) => x.code === 'data-file');
  assert.ok(d, JSON.stringify(missing.diagnostics));
  assert.equal(d.range.start.line, 2);
  assert.match(d.message, /'nowhere\.csv' not found/);
  write('cols.csv', 'a,b,y\n1,2,3\n');
  const noColumn = await parseModelWithDataFiles(model('  csv: cols.csv\n  target: z'), { modelFile });
  const t = noColumn.diagnostics.find((x) => x.code === 'data-target');
  assert.ok(t && t.range.start.line === 3, JSON.stringify(noColumn.diagnostics));
  assert.match(t.message, /no column 'z'; its columns: a, b, y/);
  const noTarget = await parseModelWithDataFiles(model('  csv: cols.csv'), { modelFile });
  assert.ok(noTarget.diagnostics.some((x) => x.code === 'missing-key' && x.range.start.line === 2 && /target/.test(x.message)));
  // And at load time (the worker), the missing file names the model file's line.
  const spec = parseModel(model('  csv: nowhere.csv\n  target: y')).spec;
  assert.ok(spec);
  assert.throws(() => loadTrainingData(spec, { datasetsDir, modelFile }), (e: Error) => e.message.startsWith(`${modelFile}:3:8: 'nowhere.csv' not found`));
});

test('labels the loss cannot take: three classes with binary cross-entropy; classes that do not match the units', async () => {
  write('three.csv', 'x1,x2,kind\n1,2,a\n3,4,b\n5,6,c\n7,8,a\n');
  await assert.rejects(() => load(model('  csv: three.csv\n  target: kind', { loss: 'binaryCrossentropy', activation: 'sigmoid' })),
    (e: Error) => /:4:11: binaryCrossentropy takes labels 0 and 1 \(two classes\); the data has 3 classes \(a, b, c\)/.test(e.message));
  await assert.rejects(() => load(model('  csv: three.csv\n  target: kind', { loss: 'categoricalCrossentropy', units: 4, activation: 'softmax' })), /3 classes \(a, b, c\); the last layer has 4 units/);
  await assert.rejects(() => load(model('  csv: three.csv\n  target: kind', { input: 3, loss: 'categoricalCrossentropy', units: 3, activation: 'softmax' })), /:3:8: The data has 2 feature columns; model\.input \[3\] holds 3/);
  const ok = await load(model('  csv: three.csv\n  target: kind\n  validationSplit: 0.25', { loss: 'categoricalCrossentropy', units: 3, activation: 'softmax' }));
  assert.equal(ok.train.classes, 3);
  assert.equal(ok.train.n + ok.val.n, 4);
});

test('standardisation is fitted on the training split only, then applied to both', async () => {
  // 8 rows; with validationSplit 0.25 the last two after the seeded shuffle are validation.
  const rows = [1, 2, 3, 4, 5, 6, 7, 1000].map((v, i) => `${v},${i}`);
  write('std.csv', `x,y\n${rows.join('\n')}\n`);
  const { train, val } = await load(model('  csv: std.csv\n  target: y\n  validationSplit: 0.25', { input: 1 }));
  const mean = train.x.reduce((a, b) => a + b, 0) / train.n;
  const sd = Math.sqrt(train.x.reduce((a, b) => a + b * b, 0) / train.n - mean * mean);
  assert.ok(Math.abs(mean) < 1e-5 && Math.abs(sd - 1) < 1e-4, `train standardised: mean ${mean}, sd ${sd}`);
  // Recover the raw values from the targets (y = row index) and check the val rows used train's statistics.
  const raw = [1, 2, 3, 4, 5, 6, 7, 1000];
  const trainRaw = Array.from(train.y, (y) => raw[y]!);
  const m = trainRaw.reduce((a, b) => a + b, 0) / trainRaw.length;
  const s = Math.sqrt(trainRaw.reduce((a, b) => a + (b - m) ** 2, 0) / trainRaw.length);
  val.y.forEach((y, i) => assert.ok(Math.abs(val.x[i]! - (raw[y]! - m) / s) < 1e-3));
  const off = await load(model('  csv: std.csv\n  target: y\n  standardize: false', { input: 1 }));
  assert.ok(Array.from(off.train.x).every((v) => raw.includes(v)), 'standardize: false keeps the raw values');
});

test('an explicit validation file uses the training classes; validationSplit beside it is an error', async () => {
  write('tr.csv', 'x,k\n1,b\n2,a\n3,b\n4,a\n');
  write('va.csv', 'x,k\n5,a\n6,b\n');
  write('vbad.csv', 'x,k\n5,a\n6,c\n');
  const { train, val } = await load(model('  csv: tr.csv\n  target: k\n  validation: va.csv', { input: 1, loss: 'binaryCrossentropy', activation: 'sigmoid' }));
  assert.equal(train.n, 4);
  assert.equal(val.n, 2);
  assert.deepEqual(Array.from(val.y), [0, 1]);
  await assert.rejects(() => load(model('  csv: tr.csv\n  target: k\n  validation: vbad.csv', { input: 1, loss: 'binaryCrossentropy', activation: 'sigmoid' })),
    /:5:15: vbad\.csv: the label 'c' does not occur in the training data/);
  const both = await parseModelWithDataFiles(model('  csv: tr.csv\n  target: k\n  validation: va.csv\n  validationSplit: 0.1', { input: 1 }), { modelFile });
  assert.ok(both.diagnostics.some((d) => d.code === 'duplicate-key' && d.range.start.line === 5));
});

test('user data is shuffled with the data seed: same seed same order, another seed another', async () => {
  write('order.csv', `x,y\n${Array.from({ length: 50 }, (_, i) => `${i},${i}`).join('\n')}\n`);
  const a = await load(model('  csv: order.csv\n  target: y\n  seed: 1\n  standardize: false', { input: 1 }));
  const b = await load(model('  csv: order.csv\n  target: y\n  seed: 1\n  standardize: false', { input: 1 }));
  const c = await load(model('  csv: order.csv\n  target: y\n  seed: 2\n  standardize: false', { input: 1 }));
  assert.deepEqual(a.train.y, b.train.y);
  assert.notDeepEqual(a.train.y, c.train.y);
  assert.notDeepEqual(Array.from(a.train.y), Array.from({ length: 40 }, (_, i) => i));
});
