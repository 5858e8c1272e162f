// The Debian/Ubuntu packages Model Lab's scripts need, by purpose, and the one place that checks
// and installs them: `npm start` and `npm test` (through scripts/setup.mjs) and .ci/run.
//
// What is missing is installed when that needs no password (running as root, or sudo -n); otherwise
// the one command that installs it is printed and the caller stops, so a fresh machine never fails
// half-way through a minute-long code-server build with a compiler error instead.
//
// Usage: `node scripts/system-packages.mjs start|test|bench|ci` (exit 1: missing and not installed);
// `--list` prints the packages of a task without checking anything.
// MODEL_LAB_SKIP_SYSTEM_PACKAGES=1 skips the check (a machine set up some other way).

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Packages by what they are for. */
export const PURPOSES = {
  // code-server (the VS Code that `npm start` and the e2e tests run) builds native modules on its
  // first install (kerberos, @vscode/spdlog, node-pty, argon2...) against these headers, and its
  // ripgrep download is replaced by Debian's ripgrep (scripts/code-server.mjs).
  editor: ['ripgrep', 'pkg-config', 'libkrb5-dev', 'libsecret-1-dev', 'libxkbfile-dev', 'libx11-dev'],
  // The browser the end-to-end tests drive (playwright-core brings none).
  e2e: ['chromium'],
  // The PyTorch reference column of `npm run bench` (bench/torch_reference.py on /usr/bin/python3).
  bench: ['python3-torch', 'libopenblas0-pthread'],
  // The PyTorch engine's tests (npm run test:python, the slow and e2e runs through the real runner).
  pytorch: ['python3-torch', 'libopenblas0-pthread'],
};

// Build tools of the native modules: any g++/make/python3 will do, wherever they come from, so
// their packages are asked for only when the command is missing (command -> Debian package).
export const BUILD_TOOLS = { 'g++': 'g++', make: 'make', python3: 'python3' };

/** Which purposes each entry point needs. */
export const TASKS = {
  start: ['editor'],
  test: ['editor', 'e2e', 'pytorch'],
  bench: ['bench'],
  ci: ['editor', 'e2e', 'pytorch', 'bench'],
};

/** The packages a task needs, build tools included when one of its purposes builds native code. */
export function packagesFor(task, hasCommand) {
  const purposes = TASKS[task];
  if (!purposes) throw new Error(`unknown task '${task}' (one of ${Object.keys(TASKS).join(', ')})`);
  const packages = [...new Set(purposes.flatMap((p) => PURPOSES[p]))];
  if (purposes.includes('editor')) {
    for (const [command, pkg] of Object.entries(BUILD_TOOLS)) if (!hasCommand(command)) packages.push(pkg);
  }
  return packages;
}

/** The one command that installs `missing`, as the user would type it. */
export function installCommand(missing, { root }) {
  const sudo = root ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missing.join(' ')}`;
}

/**
 * What to do about a task's packages. `installed(packages)` answers which of them are installed
 * (a Set), or null when it cannot tell (no dpkg: not Debian or Ubuntu).
 * - none: all there; install: missing, and root or sudo needs no password (`sudo` says which);
 * - stop: missing and no way to install without a password (`command` installs them);
 * - unknown: cannot check (`packages` lists what to make sure of).
 */
export function planSystemPackages({ task, installed, hasCommand, root, sudoWithoutPassword }) {
  const packages = packagesFor(task, hasCommand);
  const present = installed(packages);
  if (present === null) return { action: 'unknown', packages, missing: [] };
  const missing = packages.filter((p) => !present.has(p));
  if (missing.length === 0) return { action: 'none', packages, missing };
  const command = installCommand(missing, { root });
  if (root) return { action: 'install', packages, missing, sudo: false, command };
  if (sudoWithoutPassword()) return { action: 'install', packages, missing, sudo: true, command };
  return { action: 'stop', packages, missing, command };
}

// --- The real machine -------------------------------------------------------------------------

/** dpkg's answer: the installed ones among `packages`, or null without dpkg-query. */
export function dpkgInstalled(packages, spawn = spawnSync) {
  const r = spawn('dpkg-query', ['-W', '-f=${Package} ${Status}\\n', ...packages], { encoding: 'utf8' });
  if (r.error) return null;
  // dpkg-query exits 1 when a name is unknown but still lists the others.
  const present = new Set();
  for (const line of String(r.stdout ?? '').split('\n')) {
    const [name, ...status] = line.trim().split(/\s+/);
    if (name && status.join(' ') === 'install ok installed') present.add(name.replace(/:.*$/, ''));
  }
  return present;
}

const commandExists = (command) => spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;

const sudoNoPassword = () => {
  const r = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
};

function runInherit(command, args, env) {
  const r = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.error ? 127 : (r.status ?? 1);
}

/**
 * Checks a task's packages and installs the missing ones when it can. Returns true when the caller
 * may go on, false when it must stop (the install command has been printed). Every effect is a
 * parameter, so the decisions are tested without dpkg, sudo or apt.
 */
export function ensureSystemPackages(task, {
  installed = dpkgInstalled,
  hasCommand = commandExists,
  root = process.getuid?.() === 0,
  sudoWithoutPassword = sudoNoPassword,
  run = runInherit,
  log = (m) => process.stderr.write(`${m}\n`),
  env = process.env,
} = {}) {
  if (env.MODEL_LAB_SKIP_SYSTEM_PACKAGES === '1') return true;
  const plan = planSystemPackages({ task, installed, hasCommand, root, sudoWithoutPassword });
  switch (plan.action) {
    case 'none':
      return true;
    case 'unknown':
      log(`system packages: no dpkg here (not Debian or Ubuntu), so they are not checked; ${task} needs the equivalents of: ${plan.packages.join(' ')}`);
      return true;
    case 'stop':
      log(`system packages: ${task} needs ${plan.missing.join(' ')}, which are not installed.`);
      log('Installing them needs root. Run this once, then try again:');
      log(`\n    ${plan.command}\n`);
      return false;
    case 'install': {
      log(`system packages: installing ${plan.missing.join(' ')}${plan.sudo ? ' (with sudo)' : ''} for ${task}: ${plan.command}`);
      const prefix = plan.sudo ? ['sudo'] : [];
      const apt = (args) => {
        const argv = [...prefix, 'apt-get', ...args];
        return run(argv[0], argv.slice(1), { DEBIAN_FRONTEND: 'noninteractive' });
      };
      const ok = apt(['update', '-q']) === 0
        && apt(['install', '-y', '-q', '--no-install-recommends', ...plan.missing]) === 0;
      if (!ok) log(`system packages: the install failed; run it by hand:\n\n    ${plan.command}\n`);
      return ok;
    }
  }
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const task = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? 'start';
  if (process.argv.includes('--list')) {
    console.log(packagesFor(task, commandExists).join(' '));
  } else if (!ensureSystemPackages(task)) {
    process.exit(1);
  }
}
