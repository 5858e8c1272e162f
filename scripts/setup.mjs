// What `npm start` and `npm test` need before they can run, on a fresh Debian/Ubuntu machine with
// only Node 20 and npm: the system packages (scripts/system-packages.mjs, which installs them or
// names the command that does) and the npm dependencies (installed once, when node_modules is
// missing). Imports only Node's own modules, since it runs before `npm install`.
//
// Usage: `node scripts/setup.mjs start|test` (exit 1 when something is missing and not installed).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ensureSystemPackages } from './system-packages.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** True when the caller may go on. */
export function setUp(task, log = (m) => process.stderr.write(`${m}\n`)) {
  if (!ensureSystemPackages(task, { log })) return false;
  // npm writes this file at the end of every install, so its absence means no (complete) install.
  if (!fs.existsSync(path.join(repo, 'node_modules', '.package-lock.json'))) {
    log('setup: installing the npm dependencies (npm install; also builds the extension)…');
    const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: repo, stdio: 'inherit' });
    if (npm.error || npm.status !== 0) {
      log('setup: npm install failed (see above)');
      return false;
    }
  }
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  if (!setUp(process.argv[2] ?? 'start')) process.exit(1);
}
