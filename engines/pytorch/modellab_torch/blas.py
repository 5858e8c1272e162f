"""Which OpenBLAS core PyTorch should run on. OpenBLAS picks its kernels ("core") when it loads, from
the CPU it recognises; 0.3.21 does not know recent Xeons and falls back to its generic SSE3 core
(Prescott): 25-32 GFLOP/s of sgemm on one thread where its SkylakeX core gives ~150. The core named
in OPENBLAS_CORETYPE is used instead, but only if set before the library loads (before `import
torch`), so the choice is made in other processes and handed to the runner's environment by the host
(host/engines/blasCore.ts), and by the benches to raw PyTorch (bench/torchReference.ts).

The rule: when OpenBLAS chose a core narrower than the CPU's flags allow (AVX-512 -> SkylakeX,
AVX2 + FMA -> Haswell), time a 1024 sgemm on one thread with the chosen core and with the wider one,
each in a fresh process, and keep the wider one only if it is faster. A user's own OPENBLAS_CORETYPE
is never overridden. The decision is cached per interpreter, torch and BLAS library and CPU, so a run
pays a Python start-up (no torch import) once it is known.

`python -m modellab_torch.blas` prints the decision as one JSON line; `--measure` prints what this
process loaded (libraries, core, sgemm) and is what the decision runs twice.
"""
import hashlib
import json
import os
import subprocess
import sys
import time
from typing import Dict, List, Optional

AVX512_CORES = {'SKYLAKEX', 'COOPERLAKE', 'SAPPHIRERAPIDS'}
AVX2_CORES = {'HASWELL', 'ZEN', 'SKYLAKEX', 'COOPERLAKE', 'SAPPHIRERAPIDS'}
BLAS_NAMES = ('libblas', 'libopenblas', 'libmkl', 'libblis', 'libcblas', 'libatlas')
# Bumped when the rule changes, so older cached decisions are not reused.
RULE = 1


def wider_core(chosen: str, flags: set) -> Optional[str]:
    """The OpenBLAS core worth trying instead of `chosen`, from the CPU's flags; None if it already fits."""
    core = chosen.upper()
    if 'avx512f' in flags and 'avx512bw' in flags and core not in AVX512_CORES:
        return 'SkylakeX'
    if 'avx2' in flags and 'fma' in flags and core not in AVX2_CORES:
        return 'Haswell'
    return None


def decide(chosen: Optional[str], chosen_gflops: float, wider: Optional[str], wider_gflops: Optional[float]) -> Optional[str]:
    """The core to set: the wider one only when it measured faster."""
    if chosen is None or wider is None or wider_gflops is None:
        return None
    return wider if wider_gflops > chosen_gflops else None


def cpu_flags() -> set:
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def _mapped_blas() -> List[str]:
    libs = set()
    with open('/proc/self/maps') as maps:
        for line in maps:
            path = line.split()[-1]
            if path.rsplit('/', 1)[-1].startswith(BLAS_NAMES):
                libs.add(path)
    return sorted(libs)


def _openblas_info(libs: List[str]):
    import ctypes
    for path in libs:
        if 'openblas' not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()
        except (OSError, AttributeError):
            continue
    return None, None


def measure() -> Dict:
    """This process's BLAS: libraries mapped, OpenBLAS's core and configuration, and a timed 1024
    sgemm in GFLOP/s of this process's CPU time on one thread (other load does not favour either core)."""
    import torch
    torch.set_num_threads(1)
    libs = _mapped_blas() if os.path.exists('/proc/self/maps') else []
    core, config = _openblas_info(libs)
    n, repeats = 1024, 8
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(2):
        a @ b
    t0 = time.process_time()
    for _ in range(repeats):
        a @ b
    gflops = 2 * n ** 3 * repeats / max(time.process_time() - t0, 1e-9) / 1e9
    return {'libs': libs, 'openblasCore': core, 'openblasConfig': config, 'sgemmGflops': gflops, 'torch': torch.__version__}


def _measure_with(core: Optional[str]) -> Optional[Dict]:
    env = {k: v for k, v in os.environ.items() if k != 'OPENBLAS_CORETYPE'}
    env.update({'OPENBLAS_NUM_THREADS': '1', 'OMP_NUM_THREADS': '1'})
    if core:
        env['OPENBLAS_CORETYPE'] = core
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env['PYTHONPATH'] = package_root + (os.pathsep + env['PYTHONPATH'] if env.get('PYTHONPATH') else '')
    r = subprocess.run([sys.executable, '-m', 'modellab_torch.blas', '--measure'], env=env, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        return None
    return json.loads(r.stdout.strip().splitlines()[-1])


def _cache_key() -> str:
    """What the decision depends on, without importing torch: the interpreter, torch's files, the BLAS library, the CPU."""
    import importlib.util
    parts = [str(RULE), os.path.realpath(sys.executable)]
    spec = importlib.util.find_spec('torch')
    for path in ([spec.origin] if spec and spec.origin else []) + ['/usr/lib/x86_64-linux-gnu/libblas.so.3', '/usr/lib/aarch64-linux-gnu/libblas.so.3']:
        if os.path.exists(path):
            real = os.path.realpath(path)
            parts += [real, str(os.path.getmtime(real))]
    try:
        with open('/proc/cpuinfo') as f:
            parts.append(next((l for l in f if l.startswith('model name')), ''))
    except OSError:
        pass
    parts.append(' '.join(sorted(cpu_flags())))
    return hashlib.sha256('\n'.join(parts).encode()).hexdigest()[:32]


def _cache_file() -> str:
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'modellab', f'blas-{_cache_key()}.json')


def choose(use_cache: bool = True) -> Dict:
    """{"coretype": core to set or null, "from": "user"|"cache"|"measured", "chosen", "chosenGflops", "wider", "widerGflops"}."""
    if os.environ.get('OPENBLAS_CORETYPE'):
        return {'coretype': None, 'from': 'user', 'user': os.environ['OPENBLAS_CORETYPE']}
    path = _cache_file()
    if use_cache:
        try:
            with open(path) as f:
                return {**json.load(f), 'from': 'cache'}
        except (OSError, ValueError):
            pass
    first = _measure_with(None)
    if first is None:
        return {'coretype': None, 'from': 'measured', 'error': 'torch did not run'}
    chosen = first.get('openblasCore')
    wider = wider_core(chosen, cpu_flags()) if chosen else None
    second = _measure_with(wider) if wider else None
    out = {'coretype': decide(chosen, first['sgemmGflops'], wider, second and second['sgemmGflops']),
           'chosen': chosen, 'chosenGflops': round(first['sgemmGflops'], 1), 'libs': first['libs'], 'torch': first['torch']}
    if wider:
        out['wider'] = wider
        out['widerGflops'] = round(second['sgemmGflops'], 1) if second else None
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path + '.tmp', 'w') as f:
            json.dump(out, f)
        os.replace(path + '.tmp', path)
    except OSError:
        pass  # no cache: measured again next time
    return {**out, 'from': 'measured'}


if __name__ == '__main__':
    if '--measure' in sys.argv:
        print(json.dumps(measure()))
    else:
        print(json.dumps(choose(use_cache='--fresh' not in sys.argv)))
