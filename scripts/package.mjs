// `npm run package`: a production build, then the .vsix (dist-vsix/model-lab.vsix) with vsce.
// Dependencies are bundled by esbuild, so the package carries no node_modules (--no-dependencies);
// .vscodeignore is an allow-list of what the extension needs at run time.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
run(process.execPath, ['scripts/build.mjs', '--production']);
mkdirSync(join(root, 'dist-vsix'), { recursive: true });
run(process.execPath, [join(root, 'node_modules', '@vscode', 'vsce', 'vsce'), 'package', '--no-dependencies', '--no-rewrite-relative-links', '--out', 'dist-vsix/model-lab.vsix']);
