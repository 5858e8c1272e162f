// BatchMatMul for the wasm backend through our GEMM (simd/gemm.ts). The shipped kernel uses XNNPACK
// only when neither operand is transposed, and backpropagation always asks for xᵀ·dy and dy·Wᵀ, which
// fall into a scalar loop (~10x slower); our GEMM reads either operand through its strides, so a
// transposed operand costs no copy. Where it is not used (ownGemmWins, shapes it does not take) the
// operand is transposed first and XNNPACK's path runs, which gives the same numbers.
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { simd } from './simdLoops';
import { callWasmKernel, dispose, ptr, type WasmBackend } from './wasmHeap';

const size = (shape: number[]) => shape.reduce((x, y) => x * y, 1);

/** Operands of a product as our GEMM reads them: element strides, and the batch they repeat over. */
export interface GemmShape { m: number; n: number; k: number; batch: number; outer: number[] }

/** The shape of a·b with optional transposes, when both have the same leading (batch) dimensions. */
export function gemmShape(a: number[], b: number[], ta: boolean, tb: boolean): GemmShape | undefined {
  if (a.length !== b.length || a.length < 2) return undefined;
  const outer = a.slice(0, -2);
  if (outer.some((d, i) => d !== b[i])) return undefined;
  const r = a.length;
  const m = (ta ? a[r - 1] : a[r - 2]) as number, k = (ta ? a[r - 2] : a[r - 1]) as number;
  const kb = (tb ? b[r - 1] : b[r - 2]) as number, n = (tb ? b[r - 2] : b[r - 1]) as number;
  if (k !== kb) return undefined;
  return { m, n, k, batch: size(outer), outer };
}

/**
 * out = a·b (+ bias, ReLU) with our GEMM, one call per batch entry. `a`, `b` and `bias` live on the
 * wasm backend; the result is a new tensor of shape [...outer, m, n].
 */
export function ownGemm(backend: WasmBackend, a: TensorInfo, b: TensorInfo, ta: boolean, tb: boolean, s: GemmShape,
  bias?: TensorInfo, relu = false): TensorInfo {
  const loops = simd();
  if (!loops) throw new Error('The kernels module is not loaded.');
  const { m, n, k } = s;
  const out = backend.makeOutput([...s.outer, m, n], 'float32');
  if (m * n === 0) return out;
  // Packed panels of B: needed when its rows are not contiguous or its width leaves a partial panel.
  const scratch = tb || n % 8 !== 0 ? backend.makeOutput([8 * Math.max(k, 1)], 'float32') : undefined;
  if (k === 0) {
    backend.wasm.HEAPF32.fill(0, ptr(backend, out) / 4, ptr(backend, out) / 4 + m * n);
  } else {
    const pa = ptr(backend, a), pb = ptr(backend, b), pc = ptr(backend, out);
    const sam = ta ? 1 : k, sak = ta ? m : 1, sbk = tb ? 1 : n, sbn = tb ? k : 1;
    const pbias = bias ? ptr(backend, bias) : 0, pscratch = scratch ? ptr(backend, scratch) : 0;
    for (let i = 0; i < s.batch; i++) {
      loops.gemm(pa + 4 * i * m * k, sam, sak, pb + 4 * i * k * n, sbk, sbn, pc + 4 * i * m * n, m, n, k, pbias, relu ? 1 : 0, pscratch);
    }
  }
  if (scratch) dispose(backend, scratch);
  return out;
}

/**
 * Whether our GEMM beats the shipped path (XNNPACK, after a transpose copy when an operand is
 * transposed) for this product. `npm run bench:gemm` measured it faster on every product of the
 * bench models' steps, dense and im2col, both batch sizes: 1.1-1.4x on the large ones (no
 * transpose, XNNPACK's best case), 2-5x on the small ones (its per-call set-up) and where a
 * transpose copy was needed.
 */
export function ownGemmWins(s: GemmShape): boolean {
  if (policy !== 'measured') return policy === 'own';
  return s.m * s.n * s.k > 0;
}

/** Which matmul runs: the measured choice, or (benches comparing them) always one of the two. */
export type GemmPolicy = 'measured' | 'own' | 'xnnpack';
let policy: GemmPolicy = 'measured';
export function setGemmPolicy(p: GemmPolicy): void {
  policy = p;
}

export function batchMatMulConfig(shipped: KernelConfig): KernelConfig {
  const fast = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: WasmBackend; attrs: { transposeA: boolean; transposeB: boolean } }) => {
    const { inputs: { a, b }, backend, attrs } = args;
    const ta = attrs.transposeA, tb = attrs.transposeB;
    const s = gemmShape(a.shape, b.shape, ta, tb);
    if (s && simd() && ownGemmWins(s)) return ownGemm(backend, a, b, ta, tb, s);
    if (!ta && !tb) return fast(args as never);
    const swapLast = (t: TensorInfo) => {
      const perm = t.shape.map((_, i) => i);
      const n = perm.length;
      [perm[n - 2], perm[n - 1]] = [perm[n - 1] as number, perm[n - 2] as number];
      return callWasmKernel('Transpose', backend, { x: t }, { perm });
    };
    const at = ta ? swapLast(a) : a;
    const bt = tb ? swapLast(b) : b;
    const out = fast({ inputs: { a: at, b: bt }, backend: backend as never, attrs: { ...attrs, transposeA: false, transposeB: false } }) as TensorInfo;
    if (at !== a) dispose(backend, at);
    if (bt !== b) dispose(backend, bt);
    return out;
  };
  return { ...shipped, kernelFunc: kernelFunc as unknown as KernelFunc };
}
