// The layer rules of .dependency-cruiser.mjs bite: for each rule a small tree that breaks it is
// cruised in-process (node_modules linked in, so `vscode` and tfjs resolve as in the real tree) and
// the exact rule must be reported; the real tree, cruised as `npm run lint` does, must pass.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ICruiseResult, IConfiguration } from 'dependency-cruiser';

const root = resolve(__dirname, '../..');
type LayerConfig = IConfiguration & {
  allowedArrows: Record<string, string[]>;
};
// The config is an ES module; this file runs as CommonJS, so it is loaded before the tests start.
let config: LayerConfig;
let layers: string[];
before(async () => {
  config = (await import(pathToFileURL(join(root, '.dependency-cruiser.mjs')).href)).default as LayerConfig;
  layers = Object.keys(config.allowedArrows);
});

type Found = { rule: string; from: string; to: string };

/** Cruises `folders` under `baseDir` with the lint config; every violation as rule, from, to. */
async function violations(baseDir: string, folders: string[]): Promise<Found[]> {
  // dependency-cruiser is an ES module only.
  const { cruise } = await import('dependency-cruiser');
  const result = await cruise(folders, { ...config.options, baseDir, validate: true, ruleSet: { forbidden: config.forbidden } });
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

/** Writes `files` into a fresh folder beside a link to the real node_modules, cruises them, removes the folder. */
async function cruiseTree(files: Record<string, string>): Promise<Found[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ml-layers-'));
  try {
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const folders = [...new Set(Object.keys(files).map((p) => p.split('/')[0] as string))];
    return await violations(dir, folders);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rulesOf = (found: Found[], from: string) => [...new Set(found.filter((f) => f.from === from).map((f) => f.rule))].sort();
const leaf = 'export const leaf = 1;\nexport type Leaf = number;\n';
/** A module that imports `name` from `from` and exports it again as `as`: one arrow for the rules to judge. */
const reexport = (name: string, from: string, as: string): string => `import { ${name} } from '${from}';\nexport const ${as} = ${name};\n`;
/** The same through a type-only import. */
const reexportType = (name: string, from: string, as: string): string => `import type { ${name} } from '${from}';\nexport type ${as} = ${name};\n`;

test('every arrow between layer folders that the table does not allow fails as layer-<from>, type-only imports too', async () => {
  const targets = [...layers, 'test', 'bench', 'scripts', 'examples'];
  const files: Record<string, string> = {};
  for (const t of targets) files[`${t}/leaf.ts`] = leaf;
  for (const from of layers) {
    // Alternate value and type-only imports: both are arrows.
    files[`${from}/uses.ts`] = targets
      .filter((t) => t !== from)
      .map((t, i) => (i % 2 ? `import type { Leaf as L${i} } from '../${t}/leaf';\nexport type T${i} = L${i};\n` : `export { leaf as v${i} } from '../${t}/leaf';\n`))
      .join('');
  }
  const found = await cruiseTree(files);
  const expected: Found[] = [];
  for (const from of layers) {
    for (const t of targets) {
      if (t !== from && !config.allowedArrows[from]?.includes(t)) expected.push({ rule: `layer-${from}`, from: `${from}/uses.ts`, to: `${t}/leaf.ts` });
    }
  }
  const key = (f: Found) => `${f.rule} ${f.from} -> ${f.to}`;
  assert.deepEqual(found.map(key).sort(), expected.map(key).sort());
  // The table itself: webview and protocol are the narrow ones.
  assert.deepEqual(config.allowedArrows.webview, ['common', 'protocol']);
  assert.deepEqual(config.allowedArrows.protocol, []);
});

test('a cycle anywhere in the product code fails as no-cycle, also when it is made of type-only imports', async () => {
  const found = await cruiseTree({
    'engine/runs/a.ts': "import type { B } from './b';\nexport type A = { b?: B };\n",
    'engine/runs/b.ts': "import type { A } from './a';\nexport type B = { a?: A };\n",
    'webview/x/one.ts': "import { two } from './two';\nexport const one = () => two;\n",
    'webview/x/two.ts': "import { one } from './one';\nexport const two = () => one;\n",
    'host/free.ts': reexportType('A', '../engine/runs/a', 'Free'),
  });
  // dependency-cruiser reports each cycle once, from one of its members.
  const cycleFrom = (members: string[]) => found.filter((f) => f.rule === 'no-cycle' && members.includes(f.from) && members.includes(f.to));
  assert.equal(cycleFrom(['engine/runs/a.ts', 'engine/runs/b.ts']).length, 1, JSON.stringify(found));
  assert.equal(cycleFrom(['webview/x/one.ts', 'webview/x/two.ts']).length, 1, JSON.stringify(found));
  assert.equal(found.length, 2, JSON.stringify(found));
  assert.deepEqual(rulesOf(found, 'host/free.ts'), [], 'importing a cycle is not itself a cycle');
});

test('vscode imported outside extension/ fails as vscode-only-in-extension, type-only too', async () => {
  const files: Record<string, string> = { 'extension/ok.ts': "import * as vscode from 'vscode';\nexport const w = vscode.window;\n" };
  for (const layer of layers.filter((l) => l !== 'extension')) {
    files[`${layer}/usesVscode.ts`] = "import type * as vscode from 'vscode';\nexport type U = vscode.Uri;\n";
  }
  const found = await cruiseTree(files);
  assert.deepEqual(rulesOf(found, 'extension/ok.ts'), []);
  for (const layer of layers.filter((l) => l !== 'extension')) {
    assert.ok(rulesOf(found, `${layer}/usesVscode.ts`).includes('vscode-only-in-extension'), `${layer}/ importing vscode`);
  }
  // It resolved to the real typings: the rule matches what the real tree's imports resolve to.
  assert.ok(found.some((f) => f.to.includes('@types/vscode/')), JSON.stringify(found));
});

test('node builtins or tfjs reachable from webview code, however indirectly, fail as webview-reaches-no-node-or-tfjs', async () => {
  const found = await cruiseTree({
    // Within webview/ only: no layer rule sees it, reachability does.
    'webview/a/main.ts': reexport('read', './io', 'x'),
    'webview/a/io.ts': reexport('readFileSync', 'node:fs', 'read'),
    // Through common/ and a forbidden arrow into engine/, two steps from the entry point.
    'webview/b/main.ts': reexport('y', '../../common/helper', 'z'),
    'common/helper.ts': reexport('t', '../engine/tensor', 'y'),
    'engine/tensor.ts': "import type { Tensor } from '@tensorflow/tfjs-core';\nexport const t = (x: Tensor) => x;\n",
    // A clean panel stays clean.
    'webview/c/main.ts': reexport('ok', '../../protocol/ok', 'c'),
    'protocol/ok.ts': 'export const ok = 1;\n',
  });
  const reach = found.filter((f) => f.rule === 'webview-reaches-no-node-or-tfjs');
  assert.ok(reach.some((f) => f.from === 'webview/a/main.ts' && f.to === 'fs'), JSON.stringify(reach));
  assert.ok(reach.some((f) => f.from === 'webview/b/main.ts' && f.to.includes('@tensorflow/tfjs-core')), JSON.stringify(reach));
  assert.ok(!reach.some((f) => f.from.startsWith('webview/c/')), JSON.stringify(reach));
});

test('node builtins or tfjs imported in protocol/ or common/ fail as protocol-common-no-node-or-tfjs', async () => {
  const forbidden = {
    'protocol/path.ts': reexport('join', 'node:path', 'j'),
    'protocol/plainFs.ts': reexportType('Stats', 'fs', 'S'),
    'common/tf.ts': reexportType('Tensor', '@tensorflow/tfjs-core', 'T'),
  };
  // Importing a module that imports node is not itself importing node.
  const found = await cruiseTree({ ...forbidden, 'common/ok.ts': reexport('j', '../protocol/path', 'ok') });
  for (const from of Object.keys(forbidden)) {
    assert.deepEqual(rulesOf(found, from), ['protocol-common-no-node-or-tfjs'], from);
  }
  assert.deepEqual(rulesOf(found, 'common/ok.ts'), []);
});

test('npm run lint cruises every layer folder, and the real tree passes', async () => {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.equal(scripts.lint, 'eslint . && npm run lint:layers');
  const [command, folders] = (scripts['lint:layers'] ?? '').split(' --output-type err ');
  assert.equal(command, 'depcruise --config .dependency-cruiser.mjs');
  const cruised = (folders ?? '').split(' ');
  assert.deepEqual([...cruised].sort(), [...layers].sort());
  assert.deepEqual(await violations(root, cruised), []);
});
