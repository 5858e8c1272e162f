// The OpenBLAS core the runner's PyTorch should use (engines/pytorch/modellab_torch/blas.py decides:
// OpenBLAS 0.3.21 falls back to its generic Prescott core on CPUs it does not know, at a fifth of the
// sgemm speed the CPU's flags allow). OPENBLAS_CORETYPE only works if it is in the environment before
// torch loads OpenBLAS, so the host sets it when it spawns the runner (and, with it, torchrun and
// every rank): one decision per interpreter, not a re-exec in each process. The decision is cached
// by the Python side on disk and here in memory, so a run pays nothing once it is known.
import { execFile } from 'node:child_process';

export interface BlasChoice {
  /** The core to set, or undefined to leave OpenBLAS's own choice. */
  coretype?: string | undefined;
  /** One line for the log, when there is something to say. */
  note?: string | undefined;
}

const known = new Map<string, Promise<BlasChoice>>();

/** blas.py's JSON line as a choice; anything unreadable leaves OpenBLAS alone. */
export function readBlasChoice(stdout: string): BlasChoice {
  let v: { coretype?: unknown; from?: unknown; chosen?: unknown; chosenGflops?: unknown; wider?: unknown; widerGflops?: unknown; user?: unknown };
  try {
    v = JSON.parse(stdout.trim().split('\n').pop() ?? '') as typeof v;
  } catch {
    return {};
  }
  if (typeof v !== 'object' || v === null) return {};
  const coretype = typeof v.coretype === 'string' && /^[A-Za-z0-9_]{1,32}$/.test(v.coretype) ? v.coretype : undefined;
  const gf = (x: unknown): string => (typeof x === 'number' ? `${x} GFLOP/s` : '?');
  const note = v.from === 'measured' && typeof v.wider === 'string'
    ? `OpenBLAS: ${coretype ? `using the ${coretype} core` : `keeping the ${String(v.chosen)} core`} (${String(v.chosen)} ${gf(v.chosenGflops)}, ${v.wider} ${gf(v.widerGflops)}, one thread)`
    : undefined;
  return { coretype, note };
}

/**
 * The environment the runner needs for the right OpenBLAS core: {} when the user set
 * OPENBLAS_CORETYPE, when OpenBLAS's own choice is as fast, or when the probe fails (never fatal).
 */
export async function openblasEnv(python: string, runnerDir: string, base: NodeJS.ProcessEnv, log: { info(m: string): void }): Promise<NodeJS.ProcessEnv> {
  if (base.OPENBLAS_CORETYPE) return {};
  let choice = known.get(python);
  if (!choice) {
    const sep = process.platform === 'win32' ? ';' : ':';
    const env = { ...base, PYTHONPATH: base.PYTHONPATH ? `${runnerDir}${sep}${base.PYTHONPATH}` : runnerDir };
    choice = new Promise<BlasChoice>((resolve) => {
      execFile(python, ['-m', 'modellab_torch.blas'], { env, timeout: 180_000, windowsHide: true, encoding: 'utf8' }, (err, stdout) => resolve(err ? {} : readBlasChoice(stdout)));
    });
    known.set(python, choice);
  }
  const c = await choice;
  if (c.note) log.info(c.note);
  return c.coretype ? { OPENBLAS_CORETYPE: c.coretype } : {};
}
