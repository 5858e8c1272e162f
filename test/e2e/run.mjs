// End-to-end test entry: `npm run test:e2e` (= `npm run package && node test/e2e/run.mjs`).
//
// Starts ONE code-server for the whole suite (starting VS Code is the slow
// part), with the packaged extension installed and a scratch copy of
// examples/ as the workspace, then runs test/e2e/*.test.mjs with node:test
// against it. Tests find it through the environment:
//   E2E_URL        http://127.0.0.1:PORT of code-server
//   E2E_WORKSPACE  the folder open in VS Code (a copy; tests may write into it)
//   E2E_REPO       repository root (tests read examples/ from it; none writes into it)
//   E2E_ARTIFACTS  folder for screenshots and failure dumps (default: model-lab-e2e-artifacts in the system temp folder)
//   E2E_CODE_SERVER_LOG  code-server's log file
//   E2E_STATE_DIR  code-server's state folder (VS Code's logs, with the extension's, are under user-data/logs)
//   E2E_STORAGE_STATE browser storage in which E2E_WORKSPACE is a trusted folder
// E2E_KEEP_LOGS=1 keeps VS Code's logs in E2E_ARTIFACTS after a run that passed (kept after a failure anyway).
//   E2E_SCREENSHOT where train.test.mjs saves its picture of xor trained (default: E2E_ARTIFACTS/train-xor.png;
//                  `npm run screenshot` sets it to media/screenshot.png, the README's picture)
// Extra arguments are passed to `node --test` (e.g. --test-name-pattern=Stop).

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVSIX } from '@vscode/vsce';
import { ensureCodeServer } from '../../scripts/code-server.mjs';
import { startCodeServer } from './codeServer.mjs';
import { torchPython, trustedState } from './harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
// E2E_VSIX: test another package (e.g. a build kept from an earlier run).
const vsix = path.resolve(process.env.E2E_VSIX || path.join(repo, 'dist-vsix', 'model-lab.vsix'));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

if (!fs.existsSync(vsix)) {
  console.error(`e2e: ${path.relative(repo, vsix)} not found; run \`npm run package\` first (npm run test:e2e does).`);
  process.exit(1);
}

const artifacts = process.env.E2E_ARTIFACTS || path.join(os.tmpdir(), 'model-lab-e2e-artifacts');
let server;
let workspace;
let workspaceRoot;
let child;
let cleaning;
let interrupted = false;

// Always tear down, whatever ends the run; a second Ctrl-C still waits for it.
async function cleanup() {
  cleaning ??= (async () => {
    if (child && child.exitCode === null) child.kill('SIGTERM');
    await server?.stop().catch((err) => console.error(`e2e: stopping code-server: ${err.message}`));
    if (workspaceRoot) await fsp.rm(workspaceRoot, { recursive: true, force: true }).catch(() => {});
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    interrupted = true;
    console.error(`\ne2e: ${sig}, cleaning up`);
    cleanup().finally(() => process.exit(130));
  });
}

let code = 1;
try {
  const exe = await ensureCodeServer();
  console.error(`e2e: code-server ready (${elapsed()})`);

  // A copy, so run records (.modellab/) and files the tests write stay out of the repo.
  // Named examples/ like the original: the explorer and title bar in the README screenshot show that name.
  workspaceRoot = await fsp.mkdtemp(path.join(os.tmpdir(), 'mlab-ws-'));
  workspace = path.join(workspaceRoot, 'examples');
  await fsp.cp(path.join(repo, 'examples'), workspace, { recursive: true });

  // Workspace Trust is on (codeServer.mjs), without the modal "Do you trust the authors?" at
  // startup: an untrusted folder opens in Restricted Mode with its banner (a modal would block
  // the tests); the scratch workspace is trusted through the Workspace Trust editor below.
  // Beside Model Lab, a stand-in for the Python extension (test/e2e/fixtures/ms-python: its
  // interpreter API and Select Interpreter), packaged here: code-server installs .vsix files, not
  // folders. Its interpreter is a Python with torch, so a PyTorch run without modelLab.pythonPath
  // trains as on a machine where the user picked one (none found: the PyTorch tests say so themselves).
  const withTorch = (() => { try { return torchPython(); } catch { return undefined; } })();
  const pythonVsix = path.join(workspaceRoot, 'ms-python-stand-in.vsix');
  await createVSIX({ cwd: path.join(here, 'fixtures', 'ms-python'), packagePath: pythonVsix, dependencies: false, allowMissingRepository: true, skipLicense: true });
  server = await startCodeServer({
    exe, workspace, vsix: [vsix, pythonVsix],
    settings: { 'security.workspace.trust.startupPrompt': 'never', ...(withTorch ? { 'python.defaultInterpreterPath': withTorch } : {}) },
  });
  console.error(`e2e: code-server ${server.url} serving ${workspace} (${elapsed()})`);

  // Only the default folder is ours to empty; a folder named by the user is left as it is.
  if (!process.env.E2E_ARTIFACTS) await fsp.rm(artifacts, { recursive: true, force: true });
  await fsp.mkdir(artifacts, { recursive: true });

  // Trust the scratch workspace once, as a user would, and start every test's browser from that
  // state (VS Code keeps trusted folders in the browser). trust.test.mjs opens another folder untrusted.
  const storageState = await trustedState(server.url, workspace, path.join(workspaceRoot, 'trusted-state.json'), { artifacts });
  console.error(`e2e: ${path.basename(workspace)} trusted through the Workspace Trust editor (${elapsed()})`);

  // Node 20's --test does not expand globs itself.
  // E2E_FILES=xss,train runs only those files: a name pattern alone still opens every suite's workbench.
  const only = process.env.E2E_FILES?.split(',').filter(Boolean);
  const files = (await fsp.readdir(here)).filter((f) => f.endsWith('.test.mjs') && (!only || only.some((o) => f.startsWith(o)))).sort().map((f) => path.join(here, f));
  // The tests' temp files (Chromium's profile and scratch dirs) go into the
  // run's folder, so they are removed with it even if the run is interrupted.
  const tmp = path.join(workspaceRoot, 'tmp');
  await fsp.mkdir(tmp);
  child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...process.argv.slice(2), ...files], {
    stdio: 'inherit',
    env: {
      ...process.env,
      TMPDIR: tmp,
      E2E_URL: server.url,
      E2E_WORKSPACE: workspace,
      E2E_REPO: repo,
      E2E_ARTIFACTS: artifacts,
      E2E_CODE_SERVER_LOG: server.logFile,
      E2E_STATE_DIR: server.stateDir,
      E2E_STORAGE_STATE: storageState,
    },
  });
  code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
  if ((code !== 0 || process.env.E2E_KEEP_LOGS) && !interrupted) {
    // The server's state folder is removed on stop: keep its logs (the
    // extension host's output and errors are under user-data/logs). E2E_KEEP_LOGS=1 keeps them after a pass too.
    await fsp.cp(server.logFile, path.join(artifacts, 'code-server.log')).catch(() => {});
    await fsp.cp(path.join(server.stateDir, 'user-data', 'logs'), path.join(artifacts, 'vscode-logs'), { recursive: true }).catch(() => {});
    console.error(`e2e: ${code !== 0 ? 'failed; screenshots and ' : ''}logs in ${artifacts}`);
  }
} catch (err) {
  console.error(`e2e: ${err.stack || err.message}`);
  code = 1;
} finally {
  await cleanup();
  console.error(`e2e: done in ${elapsed()}, exit ${code}`);
}
process.exit(code);
