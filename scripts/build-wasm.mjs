// Compiles engine/train/kernels/simd/loops.c to dist/wasm/modellab-kernels.wasm (WebAssembly with
// SIMD128) with Debian's clang and lld. The module imports the tfjs wasm backend's memory, so it must
// never touch memory it is not given: no stack, no globals. The build checks the disassembly for
// any global access and refuses the module if there is one. Without clang the build warns and the
// kernels use their JS loops (same results, slower).
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

export function buildWasm(root, dist) {
  const out = join(dist, 'wasm', 'modellab-kernels.wasm');
  mkdirSync(dirname(out), { recursive: true });
  const cc = spawnSync('clang', [
    '--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-fno-builtin',
    // Every float operation rounds on its own, as tfjs's separate ops do (the fused Adam must match them).
    '-ffp-contract=off',
    '-Wl,--no-entry', '-Wl,--import-memory', '-Wl,--strip-all',
    '-o', out, join(root, 'engine', 'train', 'kernels', 'simd', 'loops.c'),
  ], { encoding: 'utf8' });
  if (cc.error || cc.status !== 0) {
    console.warn(`warning: ${cc.error ? 'clang not found' : cc.stderr.trim()}; training kernels will use their JS loops (apt-get install clang lld for the SIMD module).`);
    return false;
  }
  const dis = spawnSync('llvm-objdump', ['-d', out], { encoding: 'utf8' });
  if (dis.error || dis.status !== 0) {
    rmSync(out);
    console.warn('warning: llvm-objdump not found, so the SIMD module cannot be checked and is left out (apt-get install llvm).');
    return false;
  }
  if (/global\.(get|set)/.test(dis.stdout)) {
    throw new Error(`${out} uses a global (the stack pointer?): it would write into tfjs's memory. Keep loops.c stackless.`);
  }
  return true;
}
