// The CLI as a user runs it: a child process, exit codes, stdout and stderr.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, XOR } from '../unit/helpers';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });

test('train --json on the xor example reaches validation accuracy >= 0.95 and writes the run record', () => {
  const runs = mkdtempSync(join(tmpdir(), 'ml-cli-'));
  const r = cli('train', 'examples/xor.model.yaml', '--json', '--runs-dir', runs);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.status, 'completed');
  assert.ok(out.final.valAccuracy >= 0.95, `val accuracy ${out.final.valAccuracy}`);
  assert.equal(out.epochs.length, 60);
  assert.ok(out.samplesPerSec > 0);
  assert.ok(out.runDir.startsWith(join(runs, '.modellab', 'runs')));
  for (const f of ['model.yaml', 'run.json', 'metrics.jsonl', 'summary.json']) assert.ok(existsSync(join(out.runDir, f)), f);
  assert.equal(readFileSync(join(out.runDir, 'model.yaml'), 'utf8'), XOR);
});

test('a bad model file exits 1 with the diagnostic at file:line:col', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-cli-bad-'));
  const file = join(dir, 'bad.model.yaml');
  writeFileSync(file, XOR.replace('- dense: {units: 8', '- dens: {units: 8'));
  const r = cli('train', file, '--no-record');
  assert.equal(r.status, 1);
  assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, '\\.')}:12:7: error: Unknown layer 'dens'\\. Did you mean 'dense'\\? Valid layers: dense, conv2d, maxPooling2d, flatten, dropout\\.`));
  assert.equal(r.stdout, '');
});

test('a JavaScript model file is refused in one line (code runs only in the trusted editor), exit 2', () => {
  const r = cli('train', 'examples/js/xor.model.js', '--no-record');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /^examples\/js\/xor\.model\.js: JavaScript model files train only in the editor .*\n$/);
  assert.equal(r.stdout, '');
});

test('summary prints the layer table; usage errors exit 2', () => {
  const r = cli('summary', 'examples/digits.model.yaml');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /dense_1\s+dense\s+\[batch, 64\]\s+4,160/);
  assert.match(r.stdout, /Total params: 4,810/);
  assert.equal(cli('train').status, 2);
  assert.equal(cli('fly', 'x').status, 2);
  assert.equal(cli('train', 'missing.model.yaml').status, 2);
});

test('summary of a whole model file runs the loss and output rules too, on their lines', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-cli-summary-'));
  const file = join(dir, 'wrong-loss.model.yaml');
  const text = readFileSync(join(repo, 'examples', 'digits.model.yaml'), 'utf8').replace(/loss: \w+/, 'loss: binaryCrossentropy');
  writeFileSync(file, text);
  const r = cli('summary', file);
  assert.equal(r.status, 0, r.stderr);
  const lossLine = text.split('\n').findIndex((l) => l.includes('loss: binaryCrossentropy')) + 1;
  assert.match(r.stderr, new RegExp(`:${lossLine}:\\d+: error: binaryCrossentropy is for two classes`));
  assert.match(r.stdout, /Total params/);
});
