// The PyTorch reference of the benches, made fair before any ratio is printed. Debian's python3-torch
// calls whatever libblas.so.3 the alternatives point at: on a bare machine the unoptimised reference
// BLAS (sgemm ~6 GFLOP/s), which would flatter Model Lab ~10x. And OpenBLAS 0.3.21 does not know
// recent CPUs: it falls back to a generic SSE3 core ("Prescott") with a fifth of the machine's sgemm
// speed, so the bench sets the core the engine's runner gets (OPENBLAS_CORETYPE, chosen by
// engines/pytorch/modellab_torch/blas.py from the CPU's flags and kept when its sgemm is faster). One thread, and glibc's allocator kept from returning buffers every step.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { readBlasChoice } from '../host/engines/blasCore';

export const PYTHON = '/usr/bin/python3';
/** One thread everywhere (OpenBLAS's own threads spinning beside torch's collapse it), and the allocator settings of perf-notes. */
export const TORCH_BASE_ENV: Record<string, string> = {
  MALLOC_MMAP_THRESHOLD_: '16777216', MALLOC_TRIM_THRESHOLD_: '67108864', OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1',
};

export interface BlasProbe {
  libs: string[];
  openblasCore: string | null;
  openblasConfig: string | null;
  sgemmGflops: number;
  torch: string;
}

export type TorchReference =
  | { ok: true; env: Record<string, string>; probe: BlasProbe; description: string }
  | { ok: false; why: string; probe?: BlasProbe };

const OPTIMISED = /libopenblas|libmkl|libblis/;

/** Whether the probed BLAS is fit to measure against: an optimised library, not the reference one. */
export function blasVerdict(probe: BlasProbe): { ok: true } | { ok: false; why: string } {
  if (probe.libs.some((l) => OPTIMISED.test(l))) return { ok: true };
  const found = probe.libs.length ? probe.libs.join(', ') : 'no BLAS library mapped';
  return {
    ok: false,
    why: `PyTorch runs on the reference BLAS (${found}; 1024 sgemm ${probe.sgemmGflops.toFixed(1)} GFLOP/s), `
      + 'unoptimised code that makes PyTorch ~10x slower than on any real install, so no ratio is printed against it. '
      + 'Install OpenBLAS (it registers itself as libblas.so.3): apt-get install libopenblas0-pthread; '
      + 'check with update-alternatives --display libblas.so.3-x86_64-linux-gnu.',
  };
}

/** The core the runner's own rule picks (engines/pytorch/modellab_torch/blas.py: the CPU's flags, kept only if its sgemm is faster). */
function chosenCore(root: string): string | undefined {
  const r = spawnSync(PYTHON, ['-m', 'modellab_torch.blas'], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: join(root, 'engines', 'pytorch'), OPENBLAS_CORETYPE: '' } });
  return readBlasChoice(r.stdout ?? '').coretype;
}

function probe(root: string, env: Record<string, string>): BlasProbe | string {
  const r = spawnSync(PYTHON, [join(root, 'bench', 'torch_blas.py')], { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) return `${r.stderr || r.error?.message || 'no output'}`.trim().split('\n').pop() ?? '';
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as BlasProbe;
}

/** The environment to run the PyTorch reference in, or why there is no fair one. */
export function fairTorchReference(root: string): TorchReference {
  const first = probe(root, TORCH_BASE_ENV);
  if (typeof first === 'string') return { ok: false, why: `/usr/bin/python3 cannot run torch (apt-get install python3-torch): ${first}` };
  const verdict = blasVerdict(first);
  if (!verdict.ok) return { ok: false, why: verdict.why, probe: first };
  const describe = (p: BlasProbe, how: string) =>
    `PyTorch ${p.torch}, ${p.libs.map((l) => l.split('/').pop()).join(' + ')}${p.openblasCore ? ` (core ${p.openblasCore}${how})` : ''}, `
    + `1 thread, 1024 sgemm ${p.sgemmGflops.toFixed(0)} GFLOP/s of CPU time`;
  const better = first.openblasCore ? chosenCore(root) : undefined;
  if (better) {
    const env = { ...TORCH_BASE_ENV, OPENBLAS_CORETYPE: better };
    const second = probe(root, env);
    if (typeof second !== 'string') {
      return { ok: true, env, probe: second, description: `${describe(second, `, set by OPENBLAS_CORETYPE as the engine's runner gets it: OpenBLAS chose ${first.openblasCore}, ${first.sgemmGflops.toFixed(0)} GFLOP/s`)}` };
    }
  }
  return { ok: true, env: TORCH_BASE_ENV, probe: first, description: describe(first, ', as OpenBLAS chose') };
}
