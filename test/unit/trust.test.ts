// Restricted Mode (an untrusted folder is data, never code): a declarative model file trains, but
// only on data inside the workspace — a path that leaves it, directly, with '..', or through a
// symlink, is refused on its line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseModel } from '../../model/language/parse';
import { untrustedRefusal } from '../../model/language/trust';
import { csvModel } from './helpers';

const model = (csv: string): string => csvModel('t', csv, 1);

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'ml-trust-'));
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'data'), { recursive: true });
  writeFileSync(join(ws, 'data', 'in.csv'), 'x,y\n1,2\n3,4\n');
  writeFileSync(join(root, 'secret.csv'), 'x,y\n1,2\n');
  symlinkSync(join(root, 'secret.csv'), join(ws, 'data', 'link.csv'));
  return { root, ws, modelFile: join(ws, 'm.model.yaml') };
}

function refusal(csv: string) {
  const { ws, modelFile, root } = setup();
  const spec = parseModel(model(csv.replace('ROOT', root)), { modelFile, defaultSeed: 1 }).spec;
  assert.ok(spec, 'the file parses');
  return untrustedRefusal(spec, modelFile, [ws]);
}

test('data inside the workspace may be read in Restricted Mode', () => {
  assert.equal(refusal('data/in.csv'), undefined);
});

for (const [what, csv] of [['an absolute path', 'ROOT/secret.csv'], ["a '..' path", '../secret.csv'], ['a symlink out of the workspace', 'data/link.csv']]) {
  test(`${what} to data outside the workspace is refused on the csv line`, () => {
    const r = refusal(csv as string);
    assert.ok(r, 'refused');
    assert.match(r.message, /reads data only from inside the workspace; csv: .* is outside it\. Trust the workspace/);
    assert.equal(r.range?.start.line, 2, 'on the csv line');
  });
}

test('package.json declares limited support for untrusted workspaces and says what is limited', () => {
  const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; description?: unknown } } };
  const untrusted = pkg.capabilities?.untrustedWorkspaces;
  assert.equal(untrusted?.supported, 'limited');
  const description = String(untrusted?.description ?? '');
  // What the extension does untrusted (extension/runManager.ts, extension/commands.ts, model/language/trust.ts).
  assert.match(description, /trains declarative model files/);
  assert.match(description, /data files only from inside the workspace/);
  assert.match(description, /never runs JavaScript model files \(\.model\.js\/\.mjs\/\.cjs\)/);
});
