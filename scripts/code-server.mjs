// Installs code-server (a real VS Code served to a browser) on demand into
// <repo>/.cache/code-server/<version>/ and returns the path of its executable.
//
// Why not a devDependency: its postinstall builds native modules, refuses to
// run as root without npm_config_unsafe_perm, and wants two things from the
// internet (a ripgrep download and node-gyp headers). A plain `npm install`
// of the project would break on that, so `npm start` and the e2e tests call
// ensureCodeServer() instead.
//
// Usage: `node scripts/code-server.mjs` installs (if needed) and prints the path.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// 4.100.x is the last code-server line that runs on Node 20 (VS Code 1.100.3).
export const CODE_SERVER_VERSION = '4.100.3';

// @vscode/ripgrep (a dependency of VS Code inside code-server) downloads this
// exact tarball unless it finds it in $TMPDIR/vscode-ripgrep-cache-<its version>/.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_TARBALL = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

// Packages inside code-server whose install scripts must run (native modules,
// ripgrep). Named explicitly so the install works whether npm 11 runs
// unreviewed install scripts with a warning (as 11.19 does) or blocks them.
const TOP_LEVEL_SCRIPTS = ['code-server', 'argon2'];
const NESTED_SCRIPTS = [
  '@parcel/watcher', '@vscode/deviceid', '@vscode/ripgrep', '@vscode/spdlog',
  'kerberos', 'native-watchdog', 'node-pty',
];

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheRoot = path.join(repoRoot, '.cache', 'code-server');
const installDir = path.join(cacheRoot, CODE_SERVER_VERSION);
const lockDir = path.join(cacheRoot, `${CODE_SERVER_VERSION}.lock`);

// The bin link npm makes; it points at out/node/entry.js (a Node script).
const executableIn = (dir) => path.join(dir, 'node_modules', '.bin', 'code-server');

const isInstalled = () => fs.existsSync(path.join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'))
  && fs.existsSync(executableIn(installDir));

/** Absolute path of the code-server executable; installs it first if needed. */
export async function ensureCodeServer({ log = (m) => process.stderr.write(`${m}\n`) } = {}) {
  if (isInstalled()) return executableIn(installDir);
  await fsp.mkdir(cacheRoot, { recursive: true });
  await withLock(log, async () => {
    // Another process may have finished the install while we waited.
    if (isInstalled()) return;
    await install(log);
  });
  return executableIn(installDir);
}

// A lock directory: mkdir is atomic, so exactly one caller creates it. The
// owner's pid is written inside so a lock left by a killed process can be
// recognised and taken over instead of blocking forever.
async function withLock(log, fn) {
  const deadline = Date.now() + 20 * 60_000;
  let announced = false;
  for (;;) {
    try {
      await fsp.mkdir(lockDir);
      await fsp.writeFile(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      if (isInstalled()) return; // installed meanwhile; nothing to wait for
      const owner = Number(await fsp.readFile(path.join(lockDir, 'pid'), 'utf8').catch(() => ''));
      // No pid yet normally means the owner is between mkdir and writeFile;
      // stale if that lasts long, or if the owner's process is gone.
      const age = Date.now() - ((await fsp.stat(lockDir).catch(() => null))?.mtimeMs ?? Date.now());
      if (owner ? !processAlive(owner) : age > 30_000) {
        log(`code-server: removing stale install lock (${owner ? `process ${owner} is gone` : 'no owner'})`);
        await fsp.rm(lockDir, { recursive: true, force: true });
        continue;
      }
      if (!announced) {
        log(`code-server: waiting for another install (pid ${owner || '?'}) to finish…`);
        announced = true;
      }
      if (Date.now() > deadline) throw new Error(`code-server: timed out waiting for lock ${lockDir}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await fn();
  } finally {
    await fsp.rm(lockDir, { recursive: true, force: true });
  }
}

function processAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

async function install(log) {
  const started = Date.now();
  // We hold the lock, so staging folders still here are from interrupted installs.
  for (const name of await fsp.readdir(cacheRoot)) {
    if (name.startsWith('.staging-')) await fsp.rm(path.join(cacheRoot, name), { recursive: true, force: true });
  }
  // Stage next to the final folder (same file system, so rename is atomic and
  // a half-finished install is never visible under the final name).
  const staging = await fsp.mkdtemp(path.join(cacheRoot, `.staging-${CODE_SERVER_VERSION}-`));
  const tmp = path.join(staging, 'tmp');
  const logFile = path.join(cacheRoot, 'install.log');
  await fsp.mkdir(tmp, { recursive: true });
  log(`code-server: installing ${CODE_SERVER_VERSION} into ${path.relative(repoRoot, installDir)} (about a minute; log: ${path.relative(repoRoot, logFile)})`);

  try {
    await seedRipgrepCache(tmp);

    // allowScripts in package.json (not the allow-scripts config): npm
    // exports every non-default config to lifecycle scripts as npm_config_*,
    // and code-server's postinstall runs a nested `npm install`, which
    // rejects an allow-scripts setting coming from the environment.
    await fsp.writeFile(path.join(staging, 'package.json'), JSON.stringify({
      name: 'code-server-cache',
      private: true,
      dependencies: { 'code-server': CODE_SERVER_VERSION },
      allowScripts: Object.fromEntries(TOP_LEVEL_SCRIPTS.map((n) => [n, true])),
    }, null, 2));

    const env = installEnv(tmp);
    const out = fs.openSync(logFile, 'w');
    try {
      // Step 1: fetch and unpack without running any scripts, so that...
      await step(log, logFile, 'step 1 of 2: fetching and unpacking its packages (npm install --ignore-scripts)',
        () => run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: staging, env, out }));
      // ...the nested projects can get their approvals as project .npmrc
      // files (a config file layer, which npm accepts) before the
      // postinstall runs `npm install` inside them.
      const vscodeDir = path.join(staging, 'node_modules', 'code-server', 'lib', 'vscode');
      const rc = `allow-scripts=${NESTED_SCRIPTS.join(',')}\n`;
      await fsp.writeFile(path.join(vscodeDir, '.npmrc'), rc);
      await fsp.writeFile(path.join(vscodeDir, 'extensions', '.npmrc'), rc);
      // Step 2: run the install scripts (argon2 build, code-server postinstall).
      await step(log, logFile, "step 2 of 2: building its native modules and VS Code's own packages (npm rebuild)",
        () => run('npm', ['rebuild', '--foreground-scripts'], { cwd: staging, env, out }));
    } finally {
      fs.closeSync(out);
    }

    await fsp.rm(tmp, { recursive: true, force: true });
    if (!fs.existsSync(path.join(staging, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg'))) {
      throw new Error('ripgrep was not installed into code-server');
    }
    // A broken leftover under the final name (files deleted by hand) would
    // make rename fail; it is not a valid install, so replace it.
    await fsp.rm(installDir, { recursive: true, force: true });
    await fsp.chmod(staging, 0o755); // mkdtemp made it private
    await fsp.rename(staging, installDir);
  } catch (err) {
    await fsp.rm(staging, { recursive: true, force: true }).catch(() => {});
    const tail = await fsp.readFile(logFile, 'utf8').then((t) => t.split('\n').slice(-40).join('\n')).catch(() => '');
    throw new Error(`code-server install failed: ${err.message}\n--- last lines of ${logFile} ---\n${tail}`);
  }
  log(`code-server: installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

// The install is a quiet minute otherwise: each step is announced, and while it runs a line every
// 10 s gives the time so far and the newest line of the install log, so a first start shows progress.
async function step(log, logFile, what, fn) {
  const started = Date.now();
  const seconds = () => ((Date.now() - started) / 1000).toFixed(0);
  log(`code-server: ${what}…`);
  const ticker = setInterval(() => {
    const last = lastLine(logFile);
    log(`code-server:   ${seconds()} s${last ? `: ${last}` : ''}`);
  }, 10_000);
  try {
    await fn();
  } finally {
    clearInterval(ticker);
  }
  log(`code-server:   done in ${seconds()} s`);
}

// The newest non-empty line of the install log, shortened to fit a terminal line.
function lastLine(file) {
  let fd;
  try {
    fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(size, 4096));
    fs.readSync(fd, buf, 0, buf.length, size - buf.length);
    const line = buf.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
    return line.length > 100 ? `${line.slice(0, 97)}...` : line;
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function installEnv(tmp) {
  const env = {
    ...process.env,
    // @vscode/ripgrep looks for its cached download under os.tmpdir().
    TMPDIR: tmp,
    // node-pty's build runs `npx node-gyp`, which would wait at a prompt.
    npm_config_yes: 'true',
    // code-server's postinstall refuses root without this (npm itself no
    // longer knows the setting and warns; the script reads the variable).
    npm_config_unsafe_perm: 'true',
    // Use the npm cache first; every package is normally already there.
    npm_config_prefer_offline: 'true',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  // node-gyp would download Node's headers; point it at the ones installed
  // with the running Node (Debian: /usr/include/node) when they match.
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  if (!env.npm_config_nodedir && fs.existsSync(path.join(nodedir, 'include', 'node', 'node_version.h'))) {
    env.npm_config_nodedir = nodedir;
  }
  // An npm run (npm start, npm test) exports its own config as npm_config_*;
  // drop settings that would change how the nested installs behave.
  // (npm_config_call / _package would hijack the `npx node-gyp` of node-pty's build.)
  for (const key of ['npm_config_global', 'npm_config_prefix', 'npm_config_allow_scripts', 'npm_config_ignore_scripts',
    'npm_config_omit', 'npm_config_include', 'npm_config_call', 'npm_config_package', 'npm_config_workspace', 'npm_config_workspaces']) {
    delete env[key];
  }
  return env;
}

// Debian's ripgrep stands in for the download: a gzipped tar with `rg` at its root.
async function seedRipgrepCache(tmp) {
  const rg = ['/usr/bin/rg', '/usr/local/bin/rg'].find((p) => fs.existsSync(p));
  if (!rg) throw new Error('ripgrep not found: install the Debian package `ripgrep` (apt-get install ripgrep)');
  const dir = path.join(tmp, RIPGREP_CACHE_DIR);
  const src = path.join(tmp, 'rg-src');
  await fsp.mkdir(dir, { recursive: true });
  await fsp.mkdir(src, { recursive: true });
  await fsp.copyFile(rg, path.join(src, 'rg'));
  await fsp.chmod(path.join(src, 'rg'), 0o755);
  await run('tar', ['-czf', path.join(dir, RIPGREP_TARBALL), '-C', src, 'rg'], { cwd: tmp, env: process.env });
}

function run(cmd, args, { cwd, env, out }) {
  return new Promise((resolve, reject) => {
    const stdio = out === undefined ? ['ignore', 'ignore', 'pipe'] : ['ignore', out, out];
    // stdin ignored: nothing in the install may wait for an answer.
    const child = spawn(cmd, args, { cwd, env, stdio });
    let err = '';
    child.stderr?.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${signal ?? code}${err ? `: ${err.trim()}` : ''}`));
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  ensureCodeServer().then(
    (exe) => console.log(exe),
    (err) => { console.error(err.message); process.exit(1); },
  );
}
