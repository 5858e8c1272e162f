// Identity for the wasm backend without a copy. tfjs's engine clones (Identity) every tensor it saves
// for the backward pass: ~36 per step of the bench CNN, each a full memcpy in the shipped kernel.
// Sharing the data with a reference count (as the backend's own Reshape does, and the cpu backend's
// Identity) is the same to every caller, because no kernel writes into its inputs: Model Lab's
// kernels and optimizers always write new outputs (the wasm backend caches packed weights by id).
import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface RefCounting { incRef(dataId: object): void }

export function identityConfig(shipped: KernelConfig): KernelConfig {
  const copy = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { x: TensorInfo }; backend: RefCounting }) => {
    const { x } = args.inputs;
    if (x.dtype === 'string') return copy(args as never);
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
  return { kernelName: Identity, backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
