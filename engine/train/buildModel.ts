// ModelSpec -> tfjs LayersModel, through the functional API so `inputs` can wire any graph
// (skip connections, inception branches). Every initializer and dropout layer gets a seed derived
// from train.seed: same file, same run.
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayerSpec, ModelSpec } from '../../model/language/model';
import { INPUT_ID } from '../../model/analysis/shapes';
import { deriveSeed } from '../../common/random';
import { makeLayer, sanitize } from './layerFactory';

export { sanitize } from './layerFactory';

type SymbolicTensor = tfl.SymbolicTensor;

export function buildModel(spec: ModelSpec): tfl.LayersModel {
  return buildNetwork(spec.model, spec.train.seed, spec.name);
}

/** The network of a model section alone (tests build architecture files without data or train). */
export function buildNetwork(m: Pick<ModelSpec['model'], 'input' | 'layers' | 'regularizer'>, seed: number, name = 'model'): tfl.LayersModel {
  const input = tfl.input({ shape: m.input, name: 'input' });
  const outputs = new Map<string, SymbolicTensor>([[INPUT_ID, input]]);
  m.layers.forEach((layer, i) => {
    const sources = (layer.inputs.length ? layer.inputs : [INPUT_ID]).map((id) => {
      const s = outputs.get(id);
      if (!s) throw new Error(`Layer '${layer.id}' takes '${id}', which does not exist.`);
      return s;
    });
    const tfLayer = makeLayer(layer, deriveSeed(seed, 1000 + i), m.regularizer, (sources[0] as SymbolicTensor).shape.slice(1) as number[]);
    outputs.set(layer.id, tfLayer.apply(sources.length === 1 ? (sources[0] as SymbolicTensor) : sources) as SymbolicTensor);
  });
  const last = m.layers[m.layers.length - 1] as LayerSpec;
  return tfl.model({ inputs: input, outputs: outputs.get(last.id) as SymbolicTensor, name: sanitize(name) });
}
