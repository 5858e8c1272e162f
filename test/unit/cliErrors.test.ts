// The command line answers a user's mistake in one line at file:line:col, without a stack trace,
// for every kind of data error; --help works on every subcommand; bare `model-lab` is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../cli/main';

/** Runs the CLI in this process, capturing what it writes. */
async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((t: string) => ((stdout += t), true)) as typeof process.stdout.write;
  process.stderr.write = ((t: string) => ((stderr += t), true)) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

const model = (data: string[], input: string, layers: string[], loss: string): string =>
  ['name: t', 'data:', ...data.map((d) => `  ${d}`), 'model:', `  input: ${input}`, '  layers:', ...layers.map((l) => `    - ${l}`),
    'train:', `  loss: ${loss}`, '  optimizer: adam', '  epochs: 1', ''].join('\n');

const csv = (): string[] => ['csv: d.csv', 'target: label'];
const dense = (units: number, activation: string) => [`dense: {units: ${units}, activation: ${activation}}`];

interface Case {
  name: string;
  files: Record<string, string | Buffer>;
  text: string;
  /** Words the one-line message must contain. */
  says: RegExp;
}

const idx = (dims: number[], bytes: number[]): Buffer => {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt8(0x08, 2);
  head.writeUInt8(dims.length, 3);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(bytes)]);
};

const CASES: Case[] = [
  { name: 'a single class with binaryCrossentropy', files: { 'd.csv': 'a,b,label\n1,2,0\n2,3,0\n3,4,0\n4,5,0\n5,6,0\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /single class/ },
  { name: 'three classes with binaryCrossentropy', files: { 'd.csv': 'a,b,label\n1,2,0\n2,3,1\n3,4,2\n4,5,0\n5,6,1\n6,7,2\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /binaryCrossentropy takes labels 0 and 1/ },
  { name: 'output units that are not one per class', files: { 'd.csv': 'a,b,label\n1,2,0\n2,3,1\n3,4,2\n4,5,0\n5,6,1\n6,7,2\n' },
    text: model(csv(), '[2]', dense(4, 'softmax'), 'categoricalCrossentropy'), says: /needs one per class/ },
  { name: 'more feature columns than model.input', files: { 'd.csv': 'a,b,c,label\n1,2,3,0\n2,3,4,1\n3,4,5,0\n4,5,6,1\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /3 feature columns/ },
  { name: 'a regression target on several units', files: { 'd.csv': 'a,b,label\n1,2,0.5\n2,3,1.5\n3,4,2.5\n4,5,3.5\n' },
    text: model(csv(), '[2]', dense(3, 'linear'), 'meanSquaredError'), says: /one number per example/ },
  { name: 'a missing target column', files: { 'd.csv': 'a,b,y\n1,2,0\n2,3,1\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /no column 'label'/ },
  { name: 'a CSV with no rows', files: { 'd.csv': 'a,b,label\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /no data rows/ },
  { name: 'a value that is not a number', files: { 'd.csv': 'a,b,label\n1,x,0\n2,3,1\n' },
    text: model(csv(), '[2]', dense(1, 'sigmoid'), 'binaryCrossentropy'), says: /d\.csv:2/ },
  { name: 'IDX images and labels of different counts', files: { 'i.idx': idx([3, 2, 2], Array(12).fill(1)), 'l.idx': idx([2], [0, 1]) },
    text: model(['idx: {images: i.idx, labels: l.idx}'], '[2, 2, 1]', ['flatten', ...dense(2, 'softmax')], 'categoricalCrossentropy'), says: /holds 3 images but .* holds 2 labels/ },
  { name: 'an image folder with one class', files: { 'imgs/a/.keep': '' },
    text: model(['images: imgs'], '[2, 2, 1]', ['flatten', ...dense(2, 'softmax')], 'categoricalCrossentropy'), says: /at least two/ },
];

for (const c of CASES) {
  test(`data error, one line at file:line:col, no stack: ${c.name}`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ml-cli-data-'));
    for (const [name, body] of Object.entries(c.files)) {
      mkdirSync(join(dir, name, '..'), { recursive: true });
      writeFileSync(join(dir, name), body);
    }
    const file = join(dir, 'm.model.yaml');
    writeFileSync(file, c.text);
    const r = await run('train', file, '--no-record');
    assert.equal(r.code, 1, `exit ${r.code}\n${r.stderr}`);
    const lines = r.stderr.trim().split('\n').filter((l) => !/^Training /.test(l));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] as string, new RegExp(`^${file.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: `));
    assert.match(lines[0] as string, c.says);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
}

test('--help on every subcommand prints its usage and exits 0; bare model-lab and unknown options exit 2', async () => {
  for (const sub of ['train', 'summary', 'export']) {
    const r = await run(sub, '--help');
    assert.equal(r.code, 0, sub);
    assert.match(r.stdout, new RegExp(`model-lab ${sub}`));
    assert.equal(r.stderr, '');
  }
  assert.equal((await run('--help')).code, 0);
  const bare = await run();
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /Usage:/);
  assert.equal((await run('train', 'x.model.yaml', '--fast')).code, 2);
});

test('errors are listed in the order of their lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-cli-order-'));
  const file = join(dir, 'm.model.yaml');
  writeFileSync(file, model(['dataset: xor'], '[2]', ['dens: {units: 4}', 'dense: {units: 1, activation: sigmoid}'], 'binaryCrossentrop'));
  const r = await run('train', file, '--no-record');
  assert.equal(r.code, 1);
  const lines = r.stderr.trim().split('\n').map((l) => Number(/:(\d+):\d+: /.exec(l)?.[1]));
  assert.ok(lines.length >= 2, r.stderr);
  assert.deepEqual(lines, [...lines].sort((a, b) => a - b));
});
