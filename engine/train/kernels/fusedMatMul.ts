// _FusedMatMul (a dense layer's forward pass: x·W + b, then its activation, in one op) through our
// GEMM, which adds the bias and applies ReLU as it stores each tile. It measured 1.1-2.4x faster
// than the shipped XNNPACK path on the bench models' dense layers (`npm run bench:gemm`). Other
// activations run as the backend's own kernel on the product. The shipped kernel also gives wrong
// numbers with transposeB and a bias (tfjs 4.22; the test compares with the cpu backend), so it
// runs only for shapes our GEMM does not take.
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { gemmShape, ownGemm, ownGemmWins } from './batchMatMul';
import { simd } from './simdLoops';
import { callWasmKernel, dispose, type WasmBackend } from './wasmHeap';

interface FusedArgs {
  inputs: { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  backend: WasmBackend;
  attrs: { transposeA: boolean; transposeB: boolean; activation?: string; leakyreluAlpha?: number };
}

/** The activation's own wasm kernel on x (a new tensor), for those the GEMM does not apply itself. */
function activate(backend: WasmBackend, x: TensorInfo, args: FusedArgs): TensorInfo | undefined {
  const { activation } = args.attrs;
  const alpha = args.inputs.preluActivationWeights;
  if (activation === 'elu') return callWasmKernel('Elu', backend, { x });
  if (activation === 'relu6') return callWasmKernel('Relu6', backend, { x });
  if (activation === 'sigmoid') return callWasmKernel('Sigmoid', backend, { x });
  if (activation === 'leakyrelu') return callWasmKernel('LeakyRelu', backend, { x }, { alpha: args.attrs.leakyreluAlpha ?? 0.2 });
  if (activation === 'prelu' && alpha) return callWasmKernel('Prelu', backend, { x, alpha });
  return undefined;
}

export function fusedMatMulConfig(shipped: KernelConfig): KernelConfig {
  const kernelFunc = (args: FusedArgs) => {
    const { inputs: { a, b, bias }, backend, attrs } = args;
    const activation = attrs.activation ?? 'linear';
    const s = gemmShape(a.shape, b.shape, attrs.transposeA, attrs.transposeB);
    const biasFits = !bias || (bias.shape.length === 1 && bias.shape[0] === s?.n);
    if (s && simd() && biasFits && ownGemmWins(s)) {
      const inGemm = activation === 'linear' || activation === 'relu';
      const out = ownGemm(backend, a, b, attrs.transposeA, attrs.transposeB, s, bias, activation === 'relu');
      if (inGemm) return out;
      const activated = activate(backend, out, args);
      if (activated) {
        dispose(backend, out);
        return activated;
      }
      dispose(backend, out);
    }
    return (shipped.kernelFunc as KernelFunc)(args as never);
  };
  return { ...shipped, kernelFunc: kernelFunc as unknown as KernelFunc };
}
