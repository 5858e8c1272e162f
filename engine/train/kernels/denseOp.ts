// A dense layer as one op: y = act(x·W + b) for act linear or ReLU, with its gradient. tfjs fuses
// the matmul, the bias and the activation only outside gradient tapes (its fused op's gradient
// computes every input's gradient eagerly), so while training a ReLU dense layer ran as BatchMatMul,
// Add and Relu, plus the Identity of every tensor each of them saves and the Reshapes of the bias
// gradient: ~12 kernel calls in the forward and backward pass of one layer where this op makes 5-6
// (one forward kernel, its saved tensors, the ReLU gradient and three products or sums back). Each
// call is tfjs bookkeeping in JavaScript, which V8 runs slowly for the first few hundred steps.
// The gradient is registered like tfjs's own: a thunk per input, so the first layer's dx (not
// needed: its input is data) is never computed. Same numbers as the unfused ops: the forward kernel
// is the backend's _FusedMatMul (ours on wasm: the bias and ReLU added as each tile is stored, to
// the same sums), the gradients are the same products, bias sum and ReLU gradient.
import {
  _FusedMatMul, engine, getBackend, getKernel, matMul, registerGradient, sum,
  type GradConfig, type KernelConfig, type KernelFunc, type Tensor, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { RELU_GRAD } from './reluGrad';

/** Two kernels, so that only the ReLU one saves its output (each saved tensor is one more kernel call). */
export const DENSE = { linear: 'ModelLabDense', relu: 'ModelLabDenseRelu' } as const;

export type DenseActivation = keyof typeof DENSE;

interface DenseInputs {
  x: TensorInfo;
  W: TensorInfo;
  b?: TensorInfo;
}

/** The forward kernel on `backendName`: that backend's _FusedMatMul, looked up at each call (ours on wasm once registered). */
function denseKernel(backendName: string, activation: DenseActivation): KernelConfig {
  const kernelFunc = (args: { inputs: DenseInputs; backend: unknown }) => {
    const fused = getKernel(_FusedMatMul, backendName);
    if (!fused) throw new Error(`The ${backendName} backend has no ${_FusedMatMul} kernel.`);
    const { x, W, b } = args.inputs;
    // As tfjs's fused matMul op calls it: rank 3 (the shipped wasm kernel reads three dimensions).
    const rank3 = (t: TensorInfo): TensorInfo => ({ ...t, shape: [1, ...t.shape] });
    const out = (fused.kernelFunc as KernelFunc)({
      inputs: { a: rank3(x), b: rank3(W), ...(b ? { bias: b } : {}) }, backend: args.backend as never,
      attrs: { transposeA: false, transposeB: false, activation },
    }) as TensorInfo;
    return { ...out, shape: out.shape.slice(1) };
  };
  return { kernelName: DENSE[activation], backendName, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export const denseKernels: KernelConfig[] = (['wasm', 'cpu'] as const).flatMap((b) => [denseKernel(b, 'linear'), denseKernel(b, 'relu')]);

function denseGradient(activation: DenseActivation): GradConfig {
  return {
    kernelName: DENSE[activation],
    inputsToSave: ['x', 'W'],
    outputsToSave: activation === 'relu' ? [true] : [],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
      const g = dy as Tensor;
      const [x, W, y] = saved as [Tensor, Tensor, Tensor | undefined];
      // ReLU's gradient from its output: y > 0 exactly where x·W + b > 0, and y is NaN where it is.
      // Computed once, before the thunks (each runs in its own tidy), as tfjs's Softmax gradient does
      // with dy·y: every input's gradient needs it, and the tidy around the whole backward pass frees it.
      const dz = y ? engine().runKernel(RELU_GRAD, { dy: g, x: y }) as Tensor : g;
      return {
        x: () => matMul(dz, W, false, true),
        W: () => matMul(x, dz, true, false),
        b: () => sum(dz, 0),
      };
    },
  };
}

export function registerDenseGradients(): void {
  registerGradient(denseGradient('linear'));
  registerGradient(denseGradient('relu'));
}

let enabled = true;
/** Benches only: false runs dense layers as tfjs's own ops (matMul, add, activation), to time what the op saves. */
export function setDenseOp(on: boolean): void {
  enabled = on;
}

/** Whether `dense` runs on the current backend (our kernels registered, float32 rank-2 input). */
export function denseOpAvailable(x: Tensor, activation: string): activation is DenseActivation {
  return enabled && (activation === 'linear' || activation === 'relu') && x.rank === 2 && x.dtype === 'float32'
    && getKernel(DENSE[activation], getBackend()) !== undefined && getKernel(RELU_GRAD, getBackend()) !== undefined;
}

/** act(x·W + b) as one kernel with one gradient; x [batch, in], W [in, units], b [units] or none. */
export function dense(x: Tensor, W: Tensor, b: Tensor | null, activation: DenseActivation): Tensor {
  const inputs = b ? { x, W, b } : { x, W };
  return engine().runKernel(DENSE[activation], inputs as never) as Tensor;
}
