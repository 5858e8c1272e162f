// Starts and stops code-server (VS Code 1.100 served over HTTP) for the e2e tests.
// What works on a machine without internet access and why is written up in docs/testing.md.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

// Settings that keep VS Code quiet, offline and deterministic.
const USER_SETTINGS = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'update.showReleaseNotes': false,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.settings.enableNaturalLanguageSearch': false,
  'git.enabled': false,
  'git.autoRepositoryDetection': false,
  'npm.fetchOnlinePackageInfo': false,
  'json.schemaDownload.enable': false,
  'typescript.disableAutomaticTypeAcquisition': true,
  'files.autoSave': 'off',
  // Workspace Trust stays on, as users have it: `npm start` asks once whether to trust the
  // examples, and the e2e suite checks what Model Lab does in Restricted Mode (trust.test.mjs).
  'security.workspace.trust.enabled': true,
};

// ---------------------------------------------------------------------------
// code-server

/**
 * Starts code-server in its own process group with its own state folder.
 * @param {object} o
 * @param {string} o.exe        code-server executable (from ensureCodeServer())
 * @param {string} o.workspace  folder to open
 * @param {string|string[]} [o.vsix] .vsix file(s) to install into a fresh extensions dir
 * @param {string} [o.extensionFolder] extension folder to link as <publisher>.<name>-<version>
 * @param {string} [o.stateDir] where user data, extensions, XDG dirs go (default: new temp folder, removed on stop)
 * @param {number} [o.port]     preferred port on 127.0.0.1 (default: any free one)
 * @param {object} [o.settings] extra user settings
 * @returns {Promise<{url: string, port: number, stateDir: string, logFile: string, pid: number, exited: Promise<number|null>, stop: () => Promise<void>}>}
 */
export async function startCodeServer({ exe, workspace, vsix, extensionFolder, stateDir, port, settings = {} }) {
  if (!exe) throw new Error('startCodeServer: exe is required (ensureCodeServer())');
  const ownState = !stateDir;
  // A short path under the system temp dir: VS Code puts IPC sockets into
  // TMPDIR, and Unix socket paths are limited to about 107 bytes.
  stateDir ??= await fsp.mkdtemp(path.join(os.tmpdir(), 'mlab-cs-'));
  const dirs = {
    userData: path.join(stateDir, 'user-data'),
    extensions: path.join(stateDir, 'extensions'),
    config: path.join(stateDir, 'xdg-config'),
    data: path.join(stateDir, 'xdg-data'),
    cache: path.join(stateDir, 'xdg-cache'),
    tmp: await shortTmpDir(stateDir),
  };
  for (const d of Object.values(dirs)) await fsp.mkdir(d, { recursive: true });
  await fsp.mkdir(path.join(dirs.userData, 'User'), { recursive: true });
  await writeSettings(path.join(dirs.userData, 'User', 'settings.json'), { ...USER_SETTINGS, ...settings });

  // Without this, code-server writes config, logs and sockets into $HOME and /tmp.
  const env = {
    ...cleanEnv(process.env),
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_RUNTIME_DIR: dirs.tmp,
    TMPDIR: dirs.tmp,
  };
  const common = ['--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions];
  const logFile = path.join(stateDir, 'code-server.log');

  if (vsix) {
    // Fresh extensions dir per run: the .vsix installed is the one under test.
    await fsp.rm(dirs.extensions, { recursive: true, force: true });
    await fsp.mkdir(dirs.extensions, { recursive: true });
    const install = [vsix].flat().flatMap((v) => ['--install-extension', path.resolve(v)]);
    await runToEnd(process.execPath, [exe, ...common, ...install], env, logFile);
  }
  if (extensionFolder) await linkExtension(extensionFolder, dirs.extensions);

  const chosenPort = port && await portIsFree(port) ? port : await freePort();
  const out = fs.openSync(logFile, 'a');
  // node + entry script: runs code-server with the same Node as this process
  // (code-server 4.100 needs Node 20) whatever `node` is first on PATH.
  const child = spawn(process.execPath, [exe,
    '--bind-addr', `127.0.0.1:${chosenPort}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...common,
    path.resolve(workspace),
  ], { env, detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);

  let exitCode;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    exitCode = code ?? signal;
    resolve(code);
  }));
  // If this process dies without calling stop(), take the server down with it.
  const killOnExit = () => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } };
  process.on('exit', killOnExit);

  const url = `http://127.0.0.1:${chosenPort}`;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    if (exitCode === undefined) {
      signalGroup(child.pid, 'SIGTERM');
      if (await Promise.race([exited, delay(4000, 'timeout')]) === 'timeout') signalGroup(child.pid, 'SIGKILL');
      await Promise.race([exited, delay(2000)]);
    }
    // Helpers (extension host, file watcher) may outlive the main process.
    signalGroup(child.pid, 'SIGKILL');
    if (!dirs.tmp.startsWith(stateDir + path.sep)) await fsp.rm(dirs.tmp, { recursive: true, force: true }).catch(() => {});
    if (ownState) await fsp.rm(stateDir, { recursive: true, force: true }).catch(() => {});
  };

  try {
    await waitForHealthz(url, exited, 30_000);
  } catch (err) {
    await stop();
    const tail = await fsp.readFile(logFile, 'utf8').catch(() => '');
    throw new Error(`${err.message}\n--- code-server log ---\n${tail.split('\n').slice(-30).join('\n')}`);
  }
  return { url, port: chosenPort, stateDir, logFile, pid: child.pid, exited, stop };
}

// In a kept state folder (npm start) the user may have changed settings in
// the UI: their values win; settings VS Code wrote with comments are left alone.
async function writeSettings(file, defaults) {
  let current = {};
  try {
    current = JSON.parse(await fsp.readFile(file, 'utf8'));
  } catch (err) {
    if (err.code !== 'ENOENT') return;
  }
  await fsp.writeFile(file, JSON.stringify({ ...defaults, ...current }, null, 2));
}

function signalGroup(pid, signal) {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

// npm run exports npm_config_* and npm_package_* into the environment; they
// mean nothing to code-server and would leak into its terminals and tasks.
function cleanEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_(config|package|lifecycle)_/i.test(k)));
}

async function shortTmpDir(stateDir) {
  const inside = path.join(stateDir, 'tmp');
  // Room for names like vscode-ipc-<uuid>.sock (~50 bytes) under 107.
  return inside.length <= 50 ? inside : fsp.mkdtemp(path.join(os.tmpdir(), 'mlab-tmp-'));
}

// Links an unpacked extension folder the way VS Code names installed ones,
// so a rebuild of that folder is picked up by "Developer: Reload Window".
async function linkExtension(folder, extensionsDir) {
  const pkg = JSON.parse(await fsp.readFile(path.join(folder, 'package.json'), 'utf8'));
  const link = path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`.toLowerCase());
  await fsp.rm(link, { recursive: true, force: true });
  await fsp.symlink(path.resolve(folder), link, 'dir');
  // extensions.json is VS Code's record of installed extensions; a stale one
  // (from an earlier version) would hide the link, so let it be rebuilt.
  await fsp.rm(path.join(extensionsDir, 'extensions.json'), { force: true });
  return link;
}

function runToEnd(cmd, args, env, logFile) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    const child = spawn(cmd, args, { env, stdio: ['ignore', out, out] });
    fs.closeSync(out);
    child.on('error', reject);
    child.on('exit', async (code) => {
      if (code === 0) return resolve();
      const tail = await fsp.readFile(logFile, 'utf8').catch(() => '');
      reject(new Error(`${path.basename(args[0])} ${args.slice(1).join(' ')} exited with ${code}\n${tail.split('\n').slice(-20).join('\n')}`));
    });
  });
}

export function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

// Asks the kernel for a free port. Another process could take it before
// code-server binds it; on this single-user test machine that is unlikely.
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealthz(url, exited, timeoutMs) {
  let dead = false;
  exited.then(() => { dead = true; });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error('code-server exited before it was ready');
    const status = await new Promise((resolve) => {
      const req = http.get(`${url}/healthz`, (res) => { res.resume(); resolve(res.statusCode); });
      req.on('error', () => resolve(0));
      req.setTimeout(1000, () => { req.destroy(); resolve(0); });
    });
    if (status === 200) return;
    await sleep(100);
  }
  throw new Error(`code-server did not answer ${url}/healthz within ${timeoutMs} ms`);
}

const delay = (ms, value) => new Promise((r) => setTimeout(r, ms, value).unref());
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
