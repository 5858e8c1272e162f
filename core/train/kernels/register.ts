// Kernels Model Lab adds to (or replaces in) tfjs's wasm backend so that every layer trains on it,
// and fast. Each one is tested against the cpu backend in test/unit/kernels.test.ts.
import { BatchMatMul, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batchMatMul';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';

/** The kernels the backend shipped with, by name, for those we replaced (restored by unregister). */
const shipped = new Map<string, KernelConfig>();
let registered = false;

/** Idempotent. The bench's "stock" column runs without them (MODEL_LAB_STOCK_KERNELS=1). */
export function registerTrainingKernels(): void {
  if (registered || process.env.MODEL_LAB_STOCK_KERNELS === '1') return;
  registered = true;
  const shippedMatMul = getKernel(BatchMatMul, 'wasm');
  const ours: KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig, ...(shippedMatMul ? [batchMatMulConfig(shippedMatMul)] : [])];
  for (const config of ours) {
    const existing = getKernel(config.kernelName, config.backendName);
    if (existing) {
      if (!shipped.has(config.kernelName)) shipped.set(config.kernelName, existing);
      unregisterKernel(config.kernelName, config.backendName);
    }
    registerKernel(config);
  }
}

/** Back to the backend as shipped (tests of the fallback; the stock baseline). */
export function unregisterTrainingKernels(): void {
  if (!registered) return;
  registered = false;
  for (const name of [conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig].map((k) => k.kernelName).concat(BatchMatMul)) {
    if (getKernel(name, 'wasm')) unregisterKernel(name, 'wasm');
    const original = shipped.get(name);
    if (original) registerKernel(original);
  }
}

export const trainingKernelsRegistered = (): boolean => registered;
