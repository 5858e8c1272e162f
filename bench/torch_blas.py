"""Which BLAS PyTorch runs on, for `npm run bench`: Debian's python3-torch calls whatever
libblas.so.3 the alternatives point at. Prints one JSON line: the BLAS libraries mapped into this
process, OpenBLAS's core type and configuration when it is OpenBLAS, and a timed 1024x1024 sgemm in
GFLOP/s per CPU second on one thread. Run it with the same environment as the reference (bench/train-speed.ts)."""
import ctypes, json, time
import torch

torch.set_num_threads(1)

def mapped_blas():
    libs = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            name = path.rsplit("/", 1)[-1]
            if name.startswith(("libblas", "libopenblas", "libmkl", "libblis", "libcblas", "libatlas")):
                libs.add(path)
    return sorted(libs)

def openblas_info(libs):
    # The core type OpenBLAS chose at load (a CPU it does not know falls back to an old generic one).
    for path in libs:
        if "openblas" not in path:
            continue
        try:
            lib = ctypes.CDLL(path)
            lib.openblas_get_corename.restype = ctypes.c_char_p
            lib.openblas_get_config.restype = ctypes.c_char_p
            return lib.openblas_get_corename().decode(), lib.openblas_get_config().decode()
        except (OSError, AttributeError):
            continue
    return None, None

def sgemm_gflops(n=1024, repeats=8):
    # In this process's CPU time (one BLAS thread): other processes on the machine do not make the
    # right core look slower than the wrong one.
    a, b = torch.rand(n, n), torch.rand(n, n)
    for _ in range(2):
        a @ b
    t0 = time.process_time()
    for _ in range(repeats):
        a @ b
    return 2 * n ** 3 * repeats / (time.process_time() - t0) / 1e9

libs = mapped_blas()
core, config = openblas_info(libs)
print(json.dumps({"libs": libs, "openblasCore": core, "openblasConfig": config, "sgemmGflops": sgemm_gflops(), "torch": torch.__version__}))
