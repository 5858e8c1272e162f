// `model-lab export` as a user runs it: a child process, exit codes, files written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repo, XOR } from '../unit/helpers';
import { decodeEvent, readRecords } from '../unit/tfeventsReader';

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), ...args], { cwd: repo, encoding: 'utf8', timeout: 120_000 });

test('train records the trained model; export --tensorboard writes its event file', () => {
  const runs = mkdtempSync(join(tmpdir(), 'ml-cli-export-'));
  const file = join(runs, 'xor.model.yaml');
  writeFileSync(file, XOR.replace('epochs: 60', 'epochs: 3'));
  const t = cli('train', file, '--json', '--runs-dir', runs);
  assert.equal(t.status, 0, t.stderr);
  const runDir = JSON.parse(t.stdout).runDir as string;
  assert.ok(existsSync(join(runDir, 'model', 'model.json')), 'the trained model is in the run folder');
  const r = cli('export', '--tensorboard', runDir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /Wrote .*events\.out\.tfevents\.\d+\.\S+: \d+ scalars, \d+ histograms\.\nView with: tensorboard --logdir /);
  const events = readdirSync(runDir).filter((f) => f.startsWith('events.out.tfevents.'));
  assert.equal(events.length, 1);
  const decoded = readRecords(readFileSync(join(runDir, events[0] as string))).map(decodeEvent);
  assert.equal(decoded.flatMap((e) => e.values).filter((v) => v.tag === 'epoch/loss').length, 3);
});

test('export --keras prints a script or writes it with --out; errors exit 1 or 2', () => {
  const k = cli('export', '--keras', 'examples/xor.model.yaml');
  assert.equal(k.status, 0, k.stderr);
  assert.match(k.stdout, /dense_1 = layers\.Dense\(units=8, activation="tanh", name="dense_1"\)\(inputs\)/);
  const dir = mkdtempSync(join(tmpdir(), 'ml-cli-keras-'));
  const out = join(dir, 'xor.py');
  const w = cli('export', '--keras', 'examples/architectures/vgg16.model.yaml', '--out', out);
  assert.equal(w.status, 0, w.stderr);
  assert.match(readFileSync(out, 'utf8'), /layers\.Conv2D\(filters=64, kernel_size=\(3, 3\)/);
  const bad = join(dir, 'bad.model.yaml');
  writeFileSync(bad, XOR.replace('- dense: {units: 8', '- dens: {units: 8'));
  const b = cli('export', '--keras', bad);
  assert.equal(b.status, 1);
  assert.match(b.stderr, /line 12: Unknown layer 'dens'/);
  assert.equal(cli('export').status, 2);
  assert.equal(cli('export', '--tensorboard', join(dir, 'nope')).status, 2);
  const notRun = cli('export', '--tensorboard', dir);
  assert.equal(notRun.status, 1);
  assert.match(notRun.stderr, /not a Model Lab run folder/);
});
