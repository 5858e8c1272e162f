// `npm start`: build the extension and open it in a real VS Code (code-server)
// with examples/ as the workspace, at http://127.0.0.1:8080 (MODEL_LAB_PORT).
//
// The repository itself is linked into code-server's extensions folder, so
// after `npm run build` (or with `npm run watch` in another terminal) a
// "Developer: Reload Window" in the browser picks up the new build.
// State (settings, UI layout, logs) persists in .cache/start/ between runs.
//
// On a fresh machine it first installs what is missing (scripts/setup.mjs: the system packages,
// or the one command that installs them; then the npm dependencies), so set-up is this command.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// These import only Node's own modules, so they load before `npm install` has run.
import { startCodeServer } from '../test/e2e/codeServer.mjs';
import { CODE_SERVER_VERSION, ensureCodeServer } from './code-server.mjs';
import { setUp } from './setup.mjs';

if (!setUp('start')) process.exit(1);

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examples = path.join(repo, 'examples');
const stateDir = path.join(repo, '.cache', 'start');

console.error('start: building the extension…');
const build = spawnSync(process.execPath, [path.join(repo, 'scripts', 'build.mjs')], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('start: build failed');
  process.exit(build.status ?? 1);
}

const exe = await ensureCodeServer();

const wanted = Number(process.env.MODEL_LAB_PORT || 8080);
console.error('start: starting code-server…');
const server = await startCodeServer({
  exe,
  workspace: examples,
  extensionFolder: repo,
  stateDir,
  port: wanted,
});

const url = `${server.url}/?folder=${encodeURIComponent(examples)}`;
const note = server.port === wanted ? '' : `  (port ${wanted} was busy)\n`;
console.log(`
  Model Lab is running in VS Code (code-server ${CODE_SERVER_VERSION}):

      ${url}

${note}  Workspace: ${path.relative(process.cwd(), examples) || '.'}    Log: ${path.relative(process.cwd(), server.logFile)}
  After a rebuild, run "Developer: Reload Window" in the browser. Ctrl-C stops.
`);

let stopping = false;
const shutdown = async (signal) => {
  if (stopping) return;
  stopping = true;
  console.log(`\nstart: ${signal}, stopping code-server…`);
  await server.stop();
  process.exit(0);
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => shutdown(sig));

// Stay in the foreground until code-server ends (or we are told to stop).
const code = await server.exited;
if (!stopping) {
  console.error(`start: code-server exited (${code}); see ${server.logFile}`);
  await server.stop();
  process.exit(code || 1);
}
