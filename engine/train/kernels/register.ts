// Kernels Model Lab adds to (or replaces in) tfjs's wasm backend so that every layer trains on it,
// and fast. Each one is tested against the cpu backend in test/unit/kernels*.test.ts.
import {
  _FusedMatMul, Add, BatchMatMul, Conv2D, DepthwiseConv2dNative, FusedConv2D, FusedDepthwiseConv2D, getKernel, Identity, registerKernel, Sum, unregisterKernel,
  type KernelConfig,
} from '@tensorflow/tfjs-core';
import { registerAvgPoolGrad } from './avgPoolGrad';
import { batchMatMulConfig } from './batchMatMul';
import { addConfig, sumConfig } from './biasFastPaths';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { conv2dConfig } from './conv2dDirect';
import { denseKernels, registerDenseGradients } from './denseOp';
import { fusedMatMulConfig } from './fusedMatMul';
import { depthwiseBackpropFilterConfig, depthwiseBackpropInputConfig } from './depthwiseBackprop';
import { identityConfig } from './identity';
import { maxPoolGradConfig } from './maxPoolGrad';
import { overrideReluGradient, reluGradKernels, restoreReluGradient } from './reluGrad';
import { explicitSamePadding } from './samePadding';
import { overrideSoftmaxGradient, restoreSoftmaxGradient, softmaxGradKernels } from './softmaxGrad';
import { unsortedSegmentSumConfig } from './unsortedSegmentSum';

/** Kernels of our own (the backend lacks them, or has only a slow scalar loop). */
const OWN: KernelConfig[] = [
  conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig,
  depthwiseBackpropInputConfig, depthwiseBackpropFilterConfig, unsortedSegmentSumConfig, ...reluGradKernels,
  ...denseKernels, ...softmaxGradKernels,
];
/** Kernels wrapping the shipped one: a fast path for some inputs, the shipped kernel for the rest. */
const WRAPPED: [string, (shipped: KernelConfig) => KernelConfig][] = [
  [BatchMatMul, batchMatMulConfig], [_FusedMatMul, fusedMatMulConfig], [Identity, identityConfig], [Add, addConfig], [Sum, sumConfig],
  [Conv2D, conv2dConfig], [FusedConv2D, (k) => explicitSamePadding(k, false)],
  [DepthwiseConv2dNative, (k) => explicitSamePadding(k, true)], [FusedDepthwiseConv2D, (k) => explicitSamePadding(k, true)],
];

/** The kernels the backend shipped with, by name, for those we replaced (restored by unregister). */
const shipped = new Map<string, KernelConfig>();
let registered = false;

function replace(config: KernelConfig): void {
  const existing = getKernel(config.kernelName, config.backendName);
  if (existing) {
    if (!shipped.has(config.kernelName)) shipped.set(config.kernelName, existing);
    unregisterKernel(config.kernelName, config.backendName);
  }
  registerKernel(config);
}

/** Idempotent. The bench's "stock" column runs without them (MODEL_LAB_STOCK_KERNELS=1). */
export function registerTrainingKernels(): void {
  if (process.env.MODEL_LAB_STOCK_KERNELS === '1') return;
  overrideReluGradient();
  overrideSoftmaxGradient();
  if (registered) return;
  registered = true;
  registerDenseGradients();
  for (const config of OWN) replace(config);
  registerAvgPoolGrad();
  for (const [name, wrap] of WRAPPED) {
    const original = shipped.get(name) ?? getKernel(name, 'wasm');
    if (original) replace(wrap(original));
  }
}

/** Back to the backend as shipped (tests of the fallback; the stock baseline). */
export function unregisterTrainingKernels(): void {
  if (!registered) return;
  registered = false;
  restoreReluGradient();
  restoreSoftmaxGradient();
  for (const name of [...OWN.map((k) => k.kernelName), ...WRAPPED.map(([n]) => n)]) {
    if (getKernel(name, 'wasm')) unregisterKernel(name, 'wasm');
    const original = shipped.get(name);
    if (original) registerKernel(original);
  }
}

export const trainingKernelsRegistered = (): boolean => registered;
