// Runs a look at the network (a probe for a missing kernel, the statistics' gradient pass) in
// training mode without changing what training will do next. A training-mode forward pass is not
// pure in tfjs: batch normalization moves its moving mean and variance toward the probe batch, and
// Model Lab's dropout advances its sequence of masks. Left alone, every statistics collection would
// nudge the moving statistics that validation uses, and a run with statistics on would train
// differently from the same run without them.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { FreshMaskDropout } from './customLayers/freshMaskDropout';

export function withoutSideEffects<T>(model: tfl.LayersModel, look: () => T): T {
  const state = model.nonTrainableWeights.map((w) => ({ variable: w.read() as tf.Variable, saved: tf.keep((w.read() as tf.Tensor).clone()) }));
  const dropouts = model.layers.filter((l): l is FreshMaskDropout => l instanceof FreshMaskDropout).map((l) => ({ layer: l, draws: l.masksDrawn }));
  try {
    return look();
  } finally {
    for (const { variable, saved } of state) {
      variable.assign(saved);
      saved.dispose();
    }
    for (const { layer, draws } of dropouts) layer.rewindTo(draws);
  }
}
