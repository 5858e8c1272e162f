// package.json's command contributions are a copy of extension/commandTable.ts that VS Code reads
// before any code runs; these tests keep the two equal (titles, icons, palette and menu placement
// with their when-clauses) and keep code from going around the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Uri } from 'vscode';
import { commandContributions, type MenuEntry } from '../../extension/commandContributions';
import { CommandHandlers } from '../../extension/commandHandlers';
import { CATEGORY, COMMAND_IDS, COMMAND_TABLE, isContributed, type CommandArgs, type CommandSpec } from '../../extension/commandTable';

const repo = join(__dirname, '..', '..');

interface Manifest {
  activationEvents?: string[];
  contributes: {
    commands?: { command: string; title: string; category?: string; icon?: string; enablement?: string }[];
    menus?: Record<string, MenuEntry[]>;
    keybindings?: { command: string }[];
    languages?: { id: string }[];
    notebooks?: { type: string }[];
  };
}

const readManifest = (): Manifest => JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Manifest;

const menuKey = (e: MenuEntry): string => JSON.stringify([e.command, e.when ?? null, e.group ?? null]);
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

/** Every way the manifest and the table differ, in words; empty when they agree. */
function mismatches(pkg: Manifest, table: Record<string, CommandSpec>): string[] {
  const out: string[] = [];
  const contributed = pkg.contributes.commands ?? [];
  for (const c of contributed) {
    const spec = table[c.command];
    if (!spec) { out.push(`${c.command} is contributed but not in the command table`); continue; }
    if (!isContributed(spec)) { out.push(`${c.command} is internal in the table but contributed in package.json`); continue; }
    const want = { title: spec.title, category: spec.category ?? CATEGORY, icon: spec.icon, enablement: spec.enablement };
    const have = { title: c.title, category: c.category, icon: c.icon, enablement: c.enablement };
    for (const key of Object.keys(want) as (keyof typeof want)[]) {
      if (want[key] !== have[key]) out.push(`${c.command}: ${key} is ${JSON.stringify(have[key])} in package.json, ${JSON.stringify(want[key])} in the table`);
    }
  }
  for (const [id, spec] of Object.entries(table)) {
    if (isContributed(spec) && !contributed.some((c) => c.command === id)) out.push(`${id} is in the table but not contributed`);
  }
  const seen = new Set<string>();
  for (const c of contributed) {
    if (seen.has(c.command)) out.push(`${c.command} is contributed twice`);
    seen.add(c.command);
  }

  const want = commandContributions(table).menus;
  const have = pkg.contributes.menus ?? {};
  for (const menu of new Set([...Object.keys(want), ...Object.keys(have)])) {
    const expected = sorted((want[menu] ?? []).map(menuKey));
    const actual = sorted((have[menu] ?? []).map(menuKey));
    for (const e of actual.filter((k) => !expected.includes(k))) out.push(`${menu}: package.json has ${e}, the table does not`);
    for (const e of expected.filter((k) => !actual.includes(k))) out.push(`${menu}: the table has ${e}, package.json does not`);
  }
  for (const k of pkg.contributes.keybindings ?? []) {
    if (!table[k.command]) out.push(`a keybinding names ${k.command}, which is not in the command table`);
  }
  // VS Code (since 1.74) activates an extension for the commands it contributes.
  for (const e of pkg.activationEvents ?? []) if (e.startsWith('onCommand:')) out.push(`activation event ${e} is redundant`);
  return out;
}

test('package.json contributes exactly the commands, palette entries and menus of the command table', () => {
  assert.deepEqual(mismatches(readManifest(), COMMAND_TABLE), [], 'after changing extension/commandTable.ts, run: node --import tsx scripts/gen-commands.ts');
  assert.equal(COMMAND_IDS.filter((id) => isContributed(COMMAND_TABLE[id])).length, 34, 'the 34 commands of the manifest');
});

test('the check names each kind of drift between package.json and the table', () => {
  const edit = (change: (pkg: Manifest) => void): string[] => {
    const pkg = readManifest();
    change(pkg);
    return mismatches(pkg, COMMAND_TABLE);
  };
  const commands = (pkg: Manifest) => pkg.contributes.commands ?? [];
  const menu = (pkg: Manifest, id: string) => pkg.contributes.menus?.[id] ?? [];

  assert.deepEqual(edit((p) => { commands(p).find((c) => c.command === 'modelLab.train')!.title = 'Train'; }),
    ['modelLab.train: title is "Train" in package.json, "Train Model" in the table']);
  assert.deepEqual(edit((p) => { p.contributes.commands = commands(p).filter((c) => c.command !== 'modelLab.stop'); }),
    ['modelLab.stop is in the table but not contributed']);
  assert.deepEqual(edit((p) => { commands(p).push({ command: 'modelLab.nothing', title: 'Nothing' }); }),
    ['modelLab.nothing is contributed but not in the command table']);
  assert.deepEqual(edit((p) => { commands(p).push({ command: 'modelLab.explainRule', title: 'Explain' }); }),
    ['modelLab.explainRule is internal in the table but contributed in package.json']);
  assert.deepEqual(edit((p) => { delete commands(p).find((c) => c.command === 'modelLab.runs.pin')!.icon; }),
    ['modelLab.runs.pin: icon is undefined in package.json, "$(pin)" in the table']);

  const hideWhen = edit((p) => { menu(p, 'view/title').find((e) => e.command === 'modelLab.runs.hideHidden')!.when = 'view == modelLab.runs'; });
  assert.equal(hideWhen.length, 2);
  assert.match(hideWhen.join('\n'), /view\/title: package.json has \["modelLab.runs.hideHidden","view == modelLab.runs"/);
  const palette = edit((p) => { p.contributes.menus!.commandPalette = menu(p, 'commandPalette').filter((e) => e.command !== 'modelLab.runs.delete'); });
  assert.deepEqual(palette, ['commandPalette: the table has ["modelLab.runs.delete","false",null], package.json does not']);
  const group = edit((p) => { menu(p, 'editor/title').find((e) => e.command === 'modelLab.stop')!.group = 'navigation@2'; });
  assert.equal(group.length, 2);
  assert.deepEqual(edit((p) => { p.contributes.menus!['explorer/context'] = [{ command: 'modelLab.train' }]; }),
    ['explorer/context: package.json has ["modelLab.train",null,null], the table does not']);
  assert.deepEqual(edit((p) => { p.activationEvents = [...(p.activationEvents ?? []), 'onCommand:modelLab.train']; }),
    ['activation event onCommand:modelLab.train is redundant']);
  assert.deepEqual(edit((p) => { p.contributes.keybindings = [{ command: 'modelLab.trian' }]; }),
    ['a keybinding names modelLab.trian, which is not in the command table']);
});

test('the activation events that remain name what the manifest contributes', () => {
  const pkg = readManifest();
  const languages = new Set((pkg.contributes.languages ?? []).map((l) => l.id));
  const notebooks = new Set((pkg.contributes.notebooks ?? []).map((n) => n.type));
  for (const event of pkg.activationEvents ?? []) {
    const [kind, arg = ''] = event.split(':');
    if (kind === 'onLanguage') assert.ok(languages.has(arg), `${event}: no such language contributed`);
    else if (kind === 'onNotebook') assert.ok(notebooks.has(arg), `${event}: no such notebook type contributed`);
    // Panels restored after a reload need their extension active before any command runs.
    else assert.equal(kind, 'onWebviewPanel', `${event}: unexpected activation event`);
  }
});

test('commands are registered only through the table, and Model Lab commands run only through runCommand', () => {
  const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
  const extensionFiles = files(join(repo, 'extension'));
  assert.ok(extensionFiles.length > 20);
  for (const file of extensionFiles) {
    const text = readFileSync(file, 'utf8');
    const name = file.slice(repo.length + 1);
    if (!name.endsWith('commandRegistry.ts')) assert.doesNotMatch(text, /commands\.registerCommand\(/, `${name} registers a command itself; give its handler with handle() and its entry in commandTable.ts`);
    assert.doesNotMatch(text, /executeCommand(<[^>]*>)?\(\s*['"`]modelLab\./, `${name} runs a Model Lab command by its bare name; use runCommand()`);
    assert.doesNotMatch(text, /command:\s*['"`]modelLab\./, `${name} links a Model Lab command by its bare name; use commandLink()`);
  }
});

test('each command has one handler at a time, and a command nothing handles fails with its name', () => {
  const handlers = new CommandHandlers();
  assert.deepEqual(handlers.unhandled(), COMMAND_IDS);
  const seen: unknown[][] = [];
  const first = handlers.handle('modelLab.inside.showRun', (dir, options) => void seen.push([dir, options]));
  assert.ok(!handlers.unhandled().includes('modelLab.inside.showRun'));
  handlers.call('modelLab.inside.showRun', ['/w/.modellab/runs/a', { onlyOpenPanels: true }]);
  assert.deepEqual(seen, [['/w/.modellab/runs/a', { onlyOpenPanels: true }]]);
  assert.throws(() => handlers.handle('modelLab.inside.showRun', () => undefined), /modelLab\.inside\.showRun has two handlers/);

  first.dispose();
  assert.throws(() => handlers.call('modelLab.inside.showRun', []), /modelLab\.inside\.showRun is not available/);
  const second = handlers.handle('modelLab.inside.showRun', () => 'again');
  first.dispose(); // disposing the old handler again leaves the new one in place
  assert.equal(handlers.call('modelLab.inside.showRun', []), 'again');
  second.dispose();

  handlers.handle('modelLab.internal.hostLag', (action) => (action === 'stop' ? { p50: 1, p99: 2, max: 3, mean: 1, count: 10, durationMs: 50, busy: 0.1 } : undefined));
  assert.deepEqual(handlers.call('modelLab.internal.hostLag', ['stop']), { p50: 1, p99: 2, max: 3, mean: 1, count: 10, durationMs: 50, busy: 0.1 });
});

test('command arguments are typed per command', () => {
  const uri = {} as Uri;
  const variant: CommandArgs<'modelLab.tryVariant'> = [uri, ['train', 'learningRate'], 10];
  const train: CommandArgs<'modelLab.train'> = [];
  // @ts-expect-error a model file is given as a Uri, not a path
  const byPath: CommandArgs<'modelLab.train'> = ['/w/xor.model.yaml'];
  // @ts-expect-error the variant's factor is a number
  const badFactor: CommandArgs<'modelLab.tryVariant'> = [uri, ['train', 'learningRate'], 'x10'];
  // @ts-expect-error not a command of the table
  const unknownId: CommandArgs<'modelLab.trian'> = [];
  assert.deepEqual([variant.length, train.length, byPath.length, badFactor.length, unknownId], [3, 0, 1, 3, []]);
});
