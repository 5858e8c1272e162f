// Compiles engine/train/kernels/simd/loops.ts (AssemblyScript) to the kernels' WebAssembly modules
// with asc from npm, so a machine with only Node and npm builds them (no clang, no committed binary):
//   dist/wasm/modellab-kernels.wasm          SIMD128 (every engine that runs tfjs's SIMD build)
//   dist/wasm/modellab-kernels-relaxed.wasm  + relaxed SIMD: the matrix products use the fused
//                                            f32x4.relaxed_madd (chosen at run time when the engine
//                                            validates it; engine/train/kernels/simdLoops.ts)
// A module imports the tfjs wasm backend's memory, so it must never touch memory it is not given.
// The build refuses one that has a global (a stack pointer), a data segment (written over the
// tensors at instantiation) or any import but that memory. A failure here fails the build: the
// training kernels have no silent fallback.
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import asc from 'assemblyscript/asc';
import { checkStackless } from './check-wasm-module.mjs';

// Node 20 validates relaxed SIMD only behind this flag (the check below compiles both modules).
setFlagsFromString('--experimental-wasm-relaxed-simd');

export const KERNEL_MODULES = [
  { file: 'modellab-kernels.wasm', features: ['--enable', 'simd'] },
  { file: 'modellab-kernels-relaxed.wasm', features: ['--enable', 'simd,relaxed-simd'] },
];

async function compile(source, out, features) {
  const stderr = [];
  const { error } = await asc.main([
    source, '-o', out, '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
    '--importMemory', '--noExportMemory', '--initialMemory', '0', ...features,
  ], { stderr: { write: (s) => { stderr.push(String(s)); return true; } } });
  if (error) throw new Error(`asc could not compile ${source}: ${error.message}\n${stderr.join('')}`);
}

export async function buildWasm(root, dist) {
  const source = join(root, 'engine', 'train', 'kernels', 'simd', 'loops.ts');
  for (const { file, features } of KERNEL_MODULES) {
    const out = join(dist, 'wasm', file);
    mkdirSync(dirname(out), { recursive: true });
    await compile(source, out, features);
    checkStackless(readFileSync(out), out);
  }
}
