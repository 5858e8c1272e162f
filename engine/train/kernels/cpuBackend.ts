// The part of tfjs's cpu backend our kernels' cpu versions use: a tensor's values and a new tensor from
// values (the package exports no type for it that a kernel can import without the backend's internals).
import type { TensorInfo } from '@tensorflow/tfjs-core';

export interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}
