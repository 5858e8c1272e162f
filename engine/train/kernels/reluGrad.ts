// The ReLU gradient as one kernel instead of tfjs's mul(dy, cast(step(x))): three ops and three
// passes over every activation of a conv or dense layer in each backward pass (Step, Cast and
// Multiply took ~11% of a bench CNN step). Same numbers, including -0 and NaN. Registered for
// the wasm backend (the module's loop) and the cpu backend (a JS loop), so the overridden
// gradient runs on both; other backends and dtypes keep tfjs's formula.
import {
  cast, engine, getGradient, getKernel, getBackend, mul, registerGradient, Relu, step, util,
  type GradConfig, type KernelConfig, type NamedTensorInfoMap, type Tensor, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { simd } from './simdLoops';
import { f32, ptr, type WasmBackend } from './wasmHeap';
import type { CpuBackend } from './cpuBackend';

export const RELU_GRAD = 'ModelLabReluGrad';

/** The JS loop (cpu backend; wasm when the module's loops are switched off in tests). */
export function reluGradLoop(dy: Float32Array, x: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) {
    const xi = x[i] as number, g = dy[i] as number;
    out[i] = Number.isNaN(xi) ? xi : xi > 0 ? g : g * 0;
  }
}

function wasmReluGrad(args: { inputs: NamedTensorInfoMap; backend: WasmBackend }): TensorInfo {
  const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
  const { backend } = args;
  const out = backend.makeOutput(x.shape, 'float32');
  const loops = simd();
  if (loops) loops.relu_grad(ptr(backend, dy), ptr(backend, x), ptr(backend, out), util.sizeFromShape(x.shape));
  else reluGradLoop(f32(backend, dy), f32(backend, x), f32(backend, out));
  return out;
}

function cpuReluGrad(args: { inputs: NamedTensorInfoMap; backend: CpuBackend }): TensorInfo {
  const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
  const out = new Float32Array(util.sizeFromShape(x.shape));
  reluGradLoop(args.backend.data.get(dy.dataId).values, args.backend.data.get(x.dataId).values, out);
  return args.backend.makeTensorInfo(x.shape, 'float32', out);
}

export const reluGradKernels: KernelConfig[] = [
  { kernelName: RELU_GRAD, backendName: 'wasm', kernelFunc: wasmReluGrad as unknown as KernelConfig['kernelFunc'] },
  { kernelName: RELU_GRAD, backendName: 'cpu', kernelFunc: cpuReluGrad as unknown as KernelConfig['kernelFunc'] },
];

/** tfjs's own Relu gradient, kept to restore it (unregister) and for what the kernel does not take. */
let tfjsReluGradient: GradConfig | undefined;

const reluGradient: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[]) => {
    const g = dy as Tensor;
    const [x] = saved as [Tensor];
    const ours = x.dtype === 'float32' && g.dtype === 'float32' && getKernel(RELU_GRAD, getBackend()) !== undefined;
    return { x: () => (ours ? engine().runKernel(RELU_GRAD, { dy: g, x }) as Tensor : mul(g, cast(step(x), 'float32'))) };
  },
};

/** Puts our Relu gradient in tfjs's registry (again, if something re-registered tfjs's). */
export function overrideReluGradient(): void {
  const current = getGradient(Relu);
  if (current === reluGradient) return;
  tfjsReluGradient = current;
  registerGradient(reluGradient);
}

export function restoreReluGradient(): void {
  if (tfjsReluGradient && getGradient(Relu) === reluGradient) registerGradient(tfjsReluGradient);
}
