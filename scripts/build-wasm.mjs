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

// Node 20 validates relaxed SIMD only behind this flag (the check below compiles both modules).
setFlagsFromString('--experimental-wasm-relaxed-simd');

export const KERNEL_MODULES = [
  { file: 'modellab-kernels.wasm', features: ['--enable', 'simd'] },
  { file: 'modellab-kernels-relaxed.wasm', features: ['--enable', 'simd,relaxed-simd'] },
];

/** The ids of the sections of a wasm binary (they follow the 8-byte header: an id byte, a LEB128 size). */
function sectionIds(bytes) {
  const ids = [];
  let at = 8;
  while (at < bytes.length) {
    ids.push(bytes[at++]);
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[at++];
      size += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    at += size;
  }
  return ids;
}

const GLOBAL_SECTION = 6, START_SECTION = 8, DATA_SECTION = 11;

/** Throws unless the module only reads and writes the memory it imports. */
export function checkStackless(bytes, name) {
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(bytes));
  const foreign = imports.filter((i) => !(i.module === 'env' && i.name === 'memory' && i.kind === 'memory'));
  if (foreign.length > 0) throw new Error(`${name} imports ${foreign.map((i) => `${i.module}.${i.name}`).join(', ')}: it may import only env.memory.`);
  const ids = sectionIds(bytes);
  if (ids.includes(GLOBAL_SECTION)) throw new Error(`${name} has a global (a stack pointer or runtime state): it would keep state in tfjs's memory. Keep the kernels stackless.`);
  if (ids.includes(DATA_SECTION)) throw new Error(`${name} has a data segment: instantiating it would write into tfjs's heap. Keep the kernels free of static data (strings, arrays).`);
  if (ids.includes(START_SECTION)) throw new Error(`${name} has a start function: it would run code at instantiation.`);
}

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
