// Convolutions with padding 'same' on the wasm backend hand XNNPACK its TensorFlow-SAME flag, which
// it refuses when the stride exceeds the kernel (e.g. 2x2 kernel, stride 3): the shipped kernel then
// returns zeros. The backward pass of a transposed convolution hits exactly that. tfjs has already
// computed the 'same' padding numbers, so pass them as explicit padding, which XNNPACK takes in
// every case and which gives the same result.
import { backend_util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';

interface ConvAttrs {
  strides: number | [number, number];
  dilations: number | [number, number];
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  dataFormat?: 'NHWC' | 'NCHW';
}

export function explicitSamePadding(shipped: KernelConfig, depthwise: boolean): KernelConfig {
  const run = shipped.kernelFunc as KernelFunc;
  const kernelFunc = (args: { inputs: { x: TensorInfo; filter: TensorInfo }; backend: unknown; attrs: ConvAttrs }) => {
    const { inputs: { x, filter }, attrs } = args;
    if (attrs.pad !== 'same' || (attrs.dataFormat ?? 'NHWC') !== 'NHWC') return run(args as never);
    const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
      attrs.strides, attrs.dilations ?? 1, 'same', attrs.dimRoundingMode, depthwise); // tfjs-layers' depthwiseConv2d passes dilations: null
    const { top, bottom, left, right } = info.padInfo;
    const pad: backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    return run({ ...args, attrs: { ...attrs, pad } } as never);
  };
  return { ...shipped, kernelFunc: kernelFunc as unknown as KernelFunc };
}
