// Softmax's gradient as one kernel instead of tfjs's sub(dy·y, sum(dy·y)·y): four ops (Multiply,
// Sum, Multiply, Sub) on the [batch, classes] output of a classifier's last layer, a few hundred
// numbers whose arithmetic costs less than one op's bookkeeping. One pass in float32, with the same
// roundings in the same order as tfjs's ops (each product rounded, the row's sum added in order), on
// the wasm backend (views of its heap) and the cpu backend alike; other axes and dtypes keep
// tfjs's formula. Restored to tfjs's by unregisterTrainingKernels like the ReLU gradient.
import {
  engine, getGradient, getKernel, getBackend, mul, registerGradient, Softmax, sub, sum,
  type GradConfig, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type Tensor, type TensorInfo,
} from '@tensorflow/tfjs-core';
import { f32, type WasmBackend } from './wasmHeap';
import type { CpuBackend } from './cpuBackend';

export const SOFTMAX_GRAD = 'ModelLabSoftmaxGrad';

/**
 * dx = dy·y - (Σ_row dy·y)·y over rows of `classes`, rounded as tfjs's four ops round it: each
 * product to float32, the row's sum in order in float32 on wasm (its Sum kernel) or in float64
 * rounded once on cpu (its Sum is a JS loop).
 */
export function softmaxGradLoop(dy: Float32Array, y: Float32Array, out: Float32Array, classes: number, sumIn64: boolean): void {
  const f = Math.fround;
  for (let o = 0; o < y.length; o += classes) {
    let s = 0;
    for (let j = o; j < o + classes; j++) s = sumIn64 ? s + f((dy[j] as number) * (y[j] as number)) : f(s + f((dy[j] as number) * (y[j] as number)));
    s = f(s);
    for (let j = o; j < o + classes; j++) out[j] = f(f((dy[j] as number) * (y[j] as number)) - f(s * (y[j] as number)));
  }
}

const classesOf = (t: TensorInfo): number => t.shape[t.shape.length - 1] as number;
const sizeOf = (t: TensorInfo): number => t.shape.reduce((a, b) => a * b, 1);

function wasmSoftmaxGrad(args: { inputs: NamedTensorInfoMap; backend: WasmBackend }): TensorInfo {
  const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
  const out = args.backend.makeOutput(y.shape, 'float32');
  // Views after the allocation: making the output may grow the heap and detach earlier views.
  softmaxGradLoop(f32(args.backend, dy), f32(args.backend, y), f32(args.backend, out), classesOf(y), false);
  return out;
}

function cpuSoftmaxGrad(args: { inputs: NamedTensorInfoMap; backend: CpuBackend }): TensorInfo {
  const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
  const out = new Float32Array(sizeOf(y));
  softmaxGradLoop(args.backend.data.get(dy.dataId).values, args.backend.data.get(y.dataId).values, out, classesOf(y), true);
  return args.backend.makeTensorInfo(y.shape, 'float32', out);
}

export const softmaxGradKernels: KernelConfig[] = [
  { kernelName: SOFTMAX_GRAD, backendName: 'wasm', kernelFunc: wasmSoftmaxGrad as unknown as KernelConfig['kernelFunc'] },
  { kernelName: SOFTMAX_GRAD, backendName: 'cpu', kernelFunc: cpuSoftmaxGrad as unknown as KernelConfig['kernelFunc'] },
];

let enabled = true;
/** Benches only: false runs tfjs's four ops for Softmax's gradient, to time what the kernel saves. */
export function setSoftmaxGradKernel(on: boolean): void {
  enabled = on;
}

/** tfjs's own Softmax gradient, kept to restore it and for what the kernel does not take. */
let tfjsSoftmaxGradient: GradConfig | undefined;

const softmaxGradient: GradConfig = {
  kernelName: Softmax,
  outputsToSave: [true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const g = dy as Tensor;
    const [y] = saved as [Tensor];
    const dim = attrs.dim as number;
    const lastAxis = dim === -1 || dim === y.rank - 1;
    if (enabled && lastAxis && y.dtype === 'float32' && g.dtype === 'float32' && getKernel(SOFTMAX_GRAD, getBackend())) {
      return { logits: () => engine().runKernel(SOFTMAX_GRAD, { dy: g, y }) as Tensor };
    }
    const dyTimesY = mul(g, y);
    return { logits: () => sub(dyTimesY, mul(sum(dyTimesY, [dim], true), y)) };
  },
};

/** Puts our Softmax gradient in tfjs's registry (again, if something re-registered tfjs's). */
export function overrideSoftmaxGradient(): void {
  const current = getGradient(Softmax);
  if (current === softmaxGradient) return;
  tfjsSoftmaxGradient = current;
  registerGradient(softmaxGradient);
}

export function restoreSoftmaxGradient(): void {
  if (tfjsSoftmaxGradient && getGradient(Softmax) === softmaxGradient) registerGradient(tfjsSoftmaxGradient);
}
