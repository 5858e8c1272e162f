// Adam and AdamW through the SIMD module (simd/loops.ts `adam`): one vectorised pass per variable, the
// same float32 operations in the same order as tfjs's ops and the JS loop (fusedSteps.ts), so the
// results are identical. Its m and v live in the wasm heap (the module reads only that memory),
// allocated once per variable and freed with the optimizer. Faster than XNNPACK's separate ops at
// every size (npm run bench), so with it the fused optimizer takes every variable.
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { simd, type SimdLoops } from './simdLoops';
import { ptr, type WasmBackend } from './wasmHeap';

interface Malloc { _malloc(bytes: number): number; _free(offset: number): void }

export interface AdamScalars {
  b1: number; b2: number; omb1: number; omb2: number; eps: number; a: number; c1: number; c2: number; decay: number;
}

export class SimdAdam {
  /** Byte offset of each variable's [m | v] block. */
  private readonly state = new Map<string, { offset: number; size: number }>();

  private constructor(private readonly backend: WasmBackend, private readonly loops: SimdLoops) {}

  /** Undefined when the SIMD module is not loaded (the JS loop runs then). */
  static create(backend: WasmBackend): SimdAdam | undefined {
    const loops = simd();
    return loops && backend.wasm && '_malloc' in backend.wasm ? new SimdAdam(backend, loops) : undefined;
  }

  step(name: string, w: TensorInfo, g: TensorInfo, out: TensorInfo, size: number, s: AdamScalars): void {
    let st = this.state.get(name);
    if (!st) {
      const offset = (this.backend.wasm as unknown as Malloc)._malloc(size * 8);
      this.backend.wasm.HEAPF32.fill(0, offset / 4, offset / 4 + size * 2);
      st = { offset, size };
      this.state.set(name, st);
    }
    if (st.size !== size) throw new Error(`Variable ${name} changed size (${st.size} -> ${size}).`);
    const b = this.backend;
    this.loops.adam(ptr(b, w), ptr(b, g), st.offset, st.offset + size * 4, ptr(b, out), size, s.b1, s.b2, s.omb1, s.omb2, s.eps, s.a, s.c1, s.c2, s.decay);
  }

  dispose(): void {
    for (const { offset } of this.state.values()) (this.backend.wasm as unknown as Malloc)._free(offset);
    this.state.clear();
  }
}
