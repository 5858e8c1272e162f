// The SIMD module (simd/loops.c, built by scripts/build-wasm.mjs) instantiated on the tfjs wasm
// backend's own memory: its functions take byte offsets of tensors in that heap. When the module
// is missing (built without clang) or disabled, kernels run their JS loops instead.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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
}

export const SIMD_FILE = 'modellab-kernels.wasm';
let loops: SimdLoops | undefined;
let enabled = true;

/** Loads the module from `wasmDir` onto `memory` (the backend's). Returns whether it is in use. */
export function loadSimdLoops(wasmDir: string, memory: WebAssembly.Memory): boolean {
  const file = join(wasmDir, SIMD_FILE);
  if (!existsSync(file)) return false;
  const instance = new WebAssembly.Instance(new WebAssembly.Module(readFileSync(file)), { env: { memory } });
  loops = instance.exports as unknown as SimdLoops;
  return true;
}

/** For tests: run the JS loops even when the module is loaded. */
export function setSimdEnabled(on: boolean): void {
  enabled = on;
}

export function simd(): SimdLoops | undefined {
  return enabled ? loops : undefined;
}
