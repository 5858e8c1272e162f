// The Python the PyTorch tests train with: MODELLAB_PYTHON, else the first of python3 and Debian's
// /usr/bin/python3 that imports torch (a pyenv or venv python3 on PATH often has none).
import { spawnSync } from 'node:child_process';

let found: string | undefined;

export function torchPython(): string {
  if (found) return found;
  const candidates = [process.env.MODELLAB_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  found = candidates.find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (!found) throw new Error(`No Python with torch among ${candidates.join(', ')}: node scripts/system-packages.mjs test installs it, or set MODELLAB_PYTHON.`);
  return found;
}
