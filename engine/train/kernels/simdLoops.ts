// The kernels' wasm module (simd/loops.ts, built by scripts/build-wasm.mjs) instantiated on the
// tfjs wasm backend's own memory: its functions take byte offsets of tensors in that heap. Two
// builds: with relaxed SIMD (fused multiply-add in the matrix products) where the engine has it,
// SIMD128 otherwise. The JS loops stay as the readable reference the tests can switch to.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

type Ptr = number;
export interface SimdLoops {
  im2col_t(x: Ptr, cols: Ptr, ...dims: number[]): void;
  col2im(cols: Ptr, dx: Ptr, ...dims: number[]): void;
  maxpool_grad_tiled(x: Ptr, y: Ptr, g: Ptr, dx: Ptr, ...dims: number[]): void;
  depthwise_input(dy: Ptr, f: Ptr, dx: Ptr, ...dims: number[]): void;
  depthwise_filter(x: Ptr, dy: Ptr, df: Ptr, ...dims: number[]): void;
  bias_add(x: Ptr, bias: Ptr, out: Ptr, rows: number, cols: number): void;
  col_sum(x: Ptr, out: Ptr, rows: number, cols: number): void;
  adam(w: Ptr, g: Ptr, m: Ptr, v: Ptr, out: Ptr, n: number, b1: number, b2: number, omb1: number, omb2: number, eps: number, a: number, c1: number, c2: number, decay: number): void;
  /** C[M][N] = A·B (+ bias, ReLU if relu = 1); element strides of A (row, inner) and B (inner, column). */
  relu_grad(dy: Ptr, x: Ptr, out: Ptr, n: number): void;
  conv2d_direct(x: Ptr, w: Ptr, out: Ptr, ...dims: number[]): void;
  conv2d_filter_direct(x: Ptr, dy: Ptr, dw: Ptr, ...dims: number[]): void;
  conv2d_input_direct(dy: Ptr, w: Ptr, dx: Ptr, scratch: Ptr, ...dims: number[]): void;
  gemm(a: Ptr, sam: number, sak: number, b: Ptr, sbk: number, sbn: number, c: Ptr, m: number, n: number, k: number, bias: Ptr, relu: number, scratch: Ptr): void;
}

export const SIMD_FILE = 'modellab-kernels.wasm';
export const RELAXED_SIMD_FILE = 'modellab-kernels-relaxed.wasm';
export type KernelModule = 'relaxed-simd' | 'simd128';

let loops: SimdLoops | undefined;
let loaded: KernelModule | undefined;
let enabled = true;

// The smallest module using a relaxed SIMD instruction: (func (param v128 v128 v128) (result v128)
// local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd).
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0,
  10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

let relaxed: boolean | undefined;

/** Whether this engine runs relaxed SIMD. Node 20 has it behind a V8 flag, which can be turned on
 *  at run time as long as no module using it was compiled before; VS Code's Electron has it on. */
export function relaxedSimdSupported(): boolean {
  if (relaxed === undefined) {
    // The bench measures the SIMD128 build on an engine that has relaxed SIMD with this.
    if (process.env.MODEL_LAB_NO_RELAXED_SIMD === '1') return (relaxed = false);
    try {
      setFlagsFromString('--experimental-wasm-relaxed-simd');
    } catch {
      // An engine without V8 flags: the probe below decides.
    }
    relaxed = WebAssembly.validate(RELAXED_PROBE);
  }
  return relaxed;
}

/** Loads the module from `wasmDir` onto `memory` (the backend's); says which build runs. Throws when
 *  the build left it out: the kernels have no silent slow path. */
export function loadSimdLoops(wasmDir: string, memory: WebAssembly.Memory): KernelModule {
  const kind: KernelModule = relaxedSimdSupported() ? 'relaxed-simd' : 'simd128';
  const file = join(wasmDir, kind === 'relaxed-simd' ? RELAXED_SIMD_FILE : SIMD_FILE);
  if (!existsSync(file)) throw new Error(`The training kernels' module ${file} is missing: build the extension again (npm run build).`);
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } });
  loops = instance.exports as unknown as SimdLoops;
  loaded = kind;
  return kind;
}

/** Which build of the module runs (undefined before the wasm backend started). */
export const kernelModule = (): KernelModule | undefined => loaded;

/** For tests: run the JS loops even when the module is loaded. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

export function simd(): SimdLoops | undefined {
  return enabled ? loops : undefined;
}
