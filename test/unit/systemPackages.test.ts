// The set-up check of `npm start`, `npm test` and .ci/run (scripts/system-packages.mjs): on a fresh
// machine it installs what is missing when that needs no password, and otherwise prints the one
// command that does and stops. dpkg, sudo and apt are injected, so nothing here touches the machine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BUILD_TOOLS, PURPOSES, TASKS, dpkgInstalled, ensureSystemPackages, packagesFor,
} from '../../scripts/system-packages.mjs';

const allCommands = () => true;
const noneInstalled = () => new Set<string>();

interface Call { command: string; args: string[]; env: Record<string, string> }

function machine(options: { installed?: (p: string[]) => Set<string> | null; root?: boolean; sudo?: boolean; exitCode?: number }) {
  const calls: Call[] = [];
  const lines: string[] = [];
  let sudoAsked = 0;
  const ok = ensureSystemPackages('start', {
    installed: options.installed ?? noneInstalled,
    hasCommand: allCommands,
    root: options.root ?? false,
    sudoWithoutPassword: () => { sudoAsked++; return options.sudo ?? false; },
    run: (command, args, env) => { calls.push({ command, args, env }); return options.exitCode ?? 0; },
    log: (m) => lines.push(m),
    env: {},
  });
  return { ok, calls, log: lines.join('\n'), sudoAsked };
}

test('missing packages and no password-less sudo: the one install command is printed and the caller stops', () => {
  const m = machine({ installed: (p) => new Set(p.filter((name) => name !== 'ripgrep' && name !== 'pkg-config')) });
  assert.equal(m.ok, false);
  assert.equal(m.calls.length, 0, 'nothing may be run without root');
  assert.equal(m.sudoAsked, 1);
  assert.match(m.log, /sudo apt-get update && sudo apt-get install -y --no-install-recommends ripgrep pkg-config\n/);
});

test('as root, the missing packages are installed with apt-get, no sudo', () => {
  const m = machine({ root: true, installed: (p) => new Set(p.filter((name) => name !== 'libx11-dev')) });
  assert.equal(m.ok, true);
  assert.equal(m.sudoAsked, 0);
  assert.deepEqual(m.calls.map((c) => [c.command, ...c.args].join(' ')), [
    'apt-get update -q',
    'apt-get install -y -q --no-install-recommends libx11-dev',
  ]);
  assert.equal(m.calls[1]?.env.DEBIAN_FRONTEND, 'noninteractive');
});

test('sudo without a password: installed through sudo', () => {
  const m = machine({ sudo: true, installed: (p) => new Set(p.filter((name) => name !== 'libsecret-1-dev')) });
  assert.equal(m.ok, true);
  assert.deepEqual(m.calls.map((c) => [c.command, ...c.args].join(' ')), [
    'sudo apt-get update -q',
    'sudo apt-get install -y -q --no-install-recommends libsecret-1-dev',
  ]);
});

test('a failed install stops the caller and names the command', () => {
  const m = machine({ root: true, exitCode: 100 });
  assert.equal(m.ok, false);
  assert.equal(m.calls.length, 1, 'no install after a failed apt-get update');
  assert.match(m.log, /run it by hand:\n\n {4}apt-get update && apt-get install/);
});

test('everything installed: nothing is run and sudo is not asked', () => {
  const m = machine({ installed: (p) => new Set(p) });
  assert.deepEqual([m.ok, m.calls.length, m.sudoAsked, m.log], [true, 0, 0, '']);
});

test('without dpkg (not Debian or Ubuntu) the packages are named and the caller goes on', () => {
  const m = machine({ installed: () => null });
  assert.equal(m.ok, true);
  assert.equal(m.calls.length, 0);
  assert.match(m.log, /no dpkg here.*ripgrep/);
});

test('MODEL_LAB_SKIP_SYSTEM_PACKAGES=1 skips the check', () => {
  let asked = false;
  const ok = ensureSystemPackages('test', { installed: () => { asked = true; return new Set(); }, env: { MODEL_LAB_SKIP_SYSTEM_PACKAGES: '1' } });
  assert.deepEqual([ok, asked], [true, false]);
});

test('each task asks for its purposes; build tools only when their command is missing', () => {
  assert.deepEqual(packagesFor('start', allCommands), PURPOSES.editor);
  assert.ok(packagesFor('test', allCommands).includes('chromium'));
  assert.ok(!packagesFor('start', allCommands).includes('chromium'), 'npm start opens in your own browser');
  assert.deepEqual(packagesFor('bench', allCommands), ['python3-torch', 'libopenblas0-pthread']);
  assert.deepEqual(new Set(packagesFor('ci', allCommands)), new Set(Object.values(PURPOSES).flat()));
  assert.deepEqual(packagesFor('start', (c) => c !== 'g++').slice(-1), [BUILD_TOOLS['g++']]);
  assert.ok(!packagesFor('bench', () => false).includes('make'), 'the bench builds nothing native');
  assert.deepEqual(Object.keys(TASKS).sort(), ['bench', 'ci', 'start', 'test']);
});

test("dpkg-query's listing is read as installed only for 'install ok installed'; no dpkg-query gives null", () => {
  const stdout = 'ripgrep install ok installed\nclang deinstall ok config-files\nlibx11-dev:amd64 install ok installed\n';
  const present = dpkgInstalled(['ripgrep', 'clang', 'libx11-dev', 'nosuch'], () => ({ stdout }));
  assert.deepEqual([...(present ?? [])].sort(), ['libx11-dev', 'ripgrep']);
  assert.equal(dpkgInstalled(['ripgrep'], () => ({ error: new Error('ENOENT') })), null);
});
