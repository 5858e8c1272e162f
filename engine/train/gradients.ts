// Gradients registered over tfjs's own where tfjs spends a pass for nothing. tfjs's Relu gradient is
// mul(dy, cast(step(x), 'float32')): step already gives float32 0/1, so the cast is a full copy of
// the activation (on the wasm backend, Cast always copies) — a third of the ReLU backward pass, 3-4%
// of a small CNN's step. Same values: the cast of float32 to float32 changes nothing.
import * as tf from '@tensorflow/tfjs-core';

let registered = false;

export function registerTrainingGradients(): void {
  if (registered) return;
  registered = true;
  tf.registerGradient({
    kernelName: tf.Relu,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      return { x: () => tf.mul(dy as tf.Tensor, tf.step(x)) };
    },
  });
}
