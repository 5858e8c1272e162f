// `npm run test:python`: the PyTorch runner's unittest suite, on the first Python that imports torch
// (MODELLAB_PYTHON, else python3 on PATH, else Debian's /usr/bin/python3: a pyenv or venv python3 on
// PATH often has no torch while the system one does).
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const candidates = [process.env.MODELLAB_PYTHON, 'python3', '/usr/bin/python3'].filter(Boolean);
const python = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
if (!python) {
  process.stderr.write(`No Python with torch among ${candidates.join(', ')}: install it (node scripts/system-packages.mjs test), or set MODELLAB_PYTHON.\n`);
  process.exit(1);
}
const r = spawnSync(python, ['-m', 'unittest', 'discover', '-s', 'engines/pytorch/tests', '-t', 'engines/pytorch'], { cwd: root, stdio: 'inherit' });
process.exit(r.status ?? 1);
