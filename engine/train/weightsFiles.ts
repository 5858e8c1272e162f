// A network's weights in the file pair the PyTorch runner reads and writes (docs/engines.md,
// "Weights"): weights.json lists each weight (layer id, Keras name, Keras shape, offset and length in
// float32 elements of the .bin) and the .bin holds them as little-endian float32 in the Keras layout,
// which is tfjs's own, so a tfjs weight is written as it is.
import { writeFileSync } from 'node:fs';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec } from '../../model/language/model';
import { sanitize } from './layerFactory';

export interface WeightsEntry { layer: string; name: string; shape: number[]; offset: number; length: number }

/** Keras's weight name from tfjs's ('conv2d_1/moving_variance' -> 'movingVariance'). */
export const kerasWeightName = (originalName: string): string =>
  (originalName.split('/').pop() as string).replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** The .bin beside a weights.json (the runner's weights.bin_path). */
export const weightsBinPath = (jsonPath: string): string => `${jsonPath.replace(/\.json$/, '')}.bin`;

/** Writes every weight of `model`'s layers (by the model file's layer ids, in file order) to jsonPath and its .bin. */
export function writeWeightsFiles(jsonPath: string, model: tfl.LayersModel, layers: readonly Pick<LayerSpec, 'id'>[]): WeightsEntry[] {
  const entries: WeightsEntry[] = [];
  const chunks: Float32Array[] = [];
  let offset = 0;
  const built = new Set(model.layers.map((l) => l.name));
  for (const layer of layers) {
    // tfjs builds the layers between the input and the last one: a layer that feeds nothing has no weights to write.
    if (!built.has(sanitize(layer.id))) throw new Error(`layer '${layer.id}' feeds no other layer, so the tfjs engine does not build it and it has no initial weights: connect it or remove it`);
    for (const w of model.getLayer(sanitize(layer.id)).weights) {
      const values = w.read().dataSync() as Float32Array;
      entries.push({ layer: layer.id, name: kerasWeightName(w.originalName), shape: [...w.shape] as number[], offset, length: values.length });
      chunks.push(values);
      offset += values.length;
    }
  }
  const all = new Float32Array(offset);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  // Float32Array is host-endian; every platform Node ships on is little-endian.
  writeFileSync(weightsBinPath(jsonPath), new Uint8Array(all.buffer));
  writeFileSync(jsonPath, JSON.stringify({ weights: entries }));
  return entries;
}
