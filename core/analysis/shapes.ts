// Output shape and parameter count of every layer, by arithmetic on the spec alone: instant,
// and the same numbers the trained tfjs model reports (checked by a unit test).
import type { Checker } from '../spec/check';
import { LAYERS } from '../spec/layers';
import type { LayerSpec } from '../spec/model';

export interface LayerSummary {
  id: string;
  kind: string;
  inputShape: number[];
  outputShape: number[];
  params: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  outputShape: number[];
}

export const INPUT_ID = 'input';

/** Walks the layers in file order; reports problems on the offending layer's line. */
export function analyzeShapes(c: Checker, input: number[], layers: LayerSpec[]): ModelSummary | undefined {
  const shapes = new Map<string, number[]>([[INPUT_ID, input]]);
  const used = new Set<string>();
  const summaries: LayerSummary[] = [];
  let ok = true;
  for (const layer of layers) {
    const def = LAYERS[layer.kind];
    if (!def) return undefined;
    const sources = layer.inputs.length === 0 ? [INPUT_ID] : layer.inputs;
    if (sources.length !== 1) {
      c.report(layer.optionRanges.inputs ?? layer.range, `${layer.kind} takes exactly one input; got ${sources.length}.`, 'bad-inputs');
      ok = false;
      continue;
    }
    const source = sources[0] as string;
    const inShape = shapes.get(source);
    if (!inShape) {
      const later = layers.some((l) => l.id === source);
      c.report(
        layer.optionRanges.inputs ?? layer.range,
        later ? `Layer '${source}' is defined after '${layer.id}': a layer can only take layers above it (no cycles).` : `No layer has the id '${source}'.`,
        'bad-inputs',
      );
      ok = false;
      continue;
    }
    used.add(source);
    const out = def.outputShape(inShape, layer.config);
    if (typeof out === 'string') {
      c.report(layer.range, out, 'shape');
      ok = false;
      continue;
    }
    shapes.set(layer.id, out);
    summaries.push({ id: layer.id, kind: layer.kind, inputShape: inShape, outputShape: out, params: def.params(inShape, layer.config) });
  }
  if (!ok) return undefined;
  const last = layers[layers.length - 1] as LayerSpec;
  for (const layer of layers.slice(0, -1)) {
    if (!used.has(layer.id)) c.report(layer.range, `Layer '${layer.id}' feeds no other layer, so it does not affect the output (the last layer, '${last.id}').`, 'unused-layer', 'warning');
  }
  const outputShape = shapes.get(last.id) as number[];
  return { layers: summaries, totalParams: summaries.reduce((a, s) => a + s.params, 0), outputShape };
}
