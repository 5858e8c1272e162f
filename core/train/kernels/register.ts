// Kernels Model Lab adds to (or replaces in) tfjs's wasm backend so that every layer trains on it,
// and fast. Each one is tested against the cpu backend in test/unit/kernels.test.ts.
import { BatchMatMul, getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig } from './batchMatMul';
import { conv2dBackpropFilterConfig } from './conv2dBackpropFilter';
import { conv2dBackpropInputConfig } from './conv2dBackpropInput';
import { maxPoolGradConfig } from './maxPoolGrad';

let registered = false;

/** Idempotent. Must run before the wasm backend is first used (kernels set up at backend init). */
export function registerTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const shippedMatMul = getKernel(BatchMatMul, 'wasm');
  const ours: KernelConfig[] = [conv2dBackpropFilterConfig, conv2dBackpropInputConfig, maxPoolGradConfig, ...(shippedMatMul ? [batchMatMulConfig(shippedMatMul)] : [])];
  for (const config of ours) {
    if (getKernel(config.kernelName, config.backendName)) unregisterKernel(config.kernelName, config.backendName);
    registerKernel(config);
  }
}
