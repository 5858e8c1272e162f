// `npm run screenshot`: takes the README's picture (media/screenshot.png) again, in the real editor.
// It runs the one e2e test that draws it (train.test.mjs, "trains xor live beside the file") against
// a fresh code-server on a scratch copy of examples/, so the explorer shows only the examples.
// This is the only command that writes the picture: other e2e runs keep theirs with the run's
// artifacts, so that testing never leaves a tracked file changed.
// `npm run screenshot` packages the extension first (see package.json).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const target = path.join(repo, 'media', 'screenshot.png');

const child = spawn(process.execPath, [path.join(repo, 'test', 'e2e', 'run.mjs'), '--test-name-pattern=trains xor live beside the file'], {
  stdio: 'inherit',
  env: { ...process.env, E2E_FILES: 'train', E2E_SCREENSHOT: target },
});
child.on('exit', (code, signal) => {
  if (code === 0) console.error(`screenshot: ${path.relative(repo, target)} taken again`);
  process.exit(code ?? (signal ? 1 : 0));
});
