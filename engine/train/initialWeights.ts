// The initial weights of a PyTorch run, drawn by the tfjs engine's own code: buildModel(spec), whose
// initializers are seeded from train.seed, so the same file and seed start from the same weights on
// both engines (docs/engines.md, "Initial weights"). Without it each engine drew its own and, for
// models whose result depends on the draw, the engines' results differed by the draw alone.
//
// Drawn on the backend a tfjs run trains on (wasm, with the training kernels): the random
// initializers make their values in JavaScript and would be the same floats on the cpu backend, but
// orthogonal's QR decomposition runs on the backend, and cpu's differs from wasm's in the last bits
// (test/unit/initialWeights.test.ts checks every layer kind with weights, bit for bit).
import * as tf from '@tensorflow/tfjs-core';
import type { ModelSpec } from '../../model/language/model';
import { buildModel } from './buildModel';
import { useBackend } from './backend';
import { writeWeightsFiles, type WeightsEntry } from './weightsFiles';

/** The file name, in the run's data folder, of the initial weights (beside data.json). */
export const INITIAL_WEIGHTS_FILE = 'initial-weights.json';

/** Builds the model file's network as a tfjs run would and writes its initial weights to jsonPath (+ .bin).
 *  `wasmDir`: the folder of tfjs's and the training kernels' .wasm files (dist/wasm in the extension). */
export async function writeInitialWeights(spec: ModelSpec, jsonPath: string, wasmDir: string): Promise<WeightsEntry[]> {
  const before = tf.engine().backendName;
  await useBackend('wasm', wasmDir);
  try {
    const model = buildModel(spec);
    try {
      return writeWeightsFiles(jsonPath, model, spec.model.layers);
    } finally {
      model.dispose();
    }
  } finally {
    // A process that was on the cpu backend gets it back.
    if (before === 'cpu') await tf.setBackend('cpu');
  }
}
