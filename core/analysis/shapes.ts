// Output shape, parameters, multiply-accumulates and receptive field of every layer, by arithmetic
// on the spec alone: instant, and the same shapes and counts the built tfjs model reports (checked
// by a unit test).
import type { Checker } from '../spec/check';
import { LAYERS } from '../spec/layers';
import type { LayerSpec } from '../spec/model';
import type { Range } from '../spec/diagnostic';

export interface LayerSummary {
  id: string;
  kind: string;
  inputShape: number[];
  outputShape: number[];
  params: number;
  trainable: boolean;
  /** Multiply-accumulates per example. */
  macs: number;
  /** Other operations per example: pooling comparisons, activations. */
  otherOps: number;
  /** Receptive field (input pixels along one side) of one output position; spatial layers only. */
  receptiveField?: number;
  /** The layer's name key in the model file, where editor hints and hovers attach. */
  range: Range;
}

export interface ModelTotals {
  params: number;
  trainableParams: number;
  macs: number;
  otherOps: number;
  convParams: number;
  denseParams: number;
  convMacs: number;
  denseMacs: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  totals: ModelTotals;
  outputShape: number[];
}

export const INPUT_ID = 'input';

/** Walks the layers in file order; reports problems on the offending layer's line. */
export function analyzeShapes(c: Checker, input: number[], layers: LayerSpec[]): ModelSummary | undefined {
  const shapes = new Map<string, number[]>([[INPUT_ID, input]]);
  // Receptive field and jump (input pixels between neighbouring outputs) of each spatial tensor.
  const fields = new Map<string, { rf: number; jump: number } | undefined>([[INPUT_ID, input.length === 3 ? { rf: 1, jump: 1 } : undefined]]);
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
    const inField = fields.get(source);
    const w = def.window?.(layer.config);
    const field = !inField || out.length !== 3 ? undefined : w ? { rf: inField.rf + (w.size - 1) * w.dilation * inField.jump, jump: inField.jump * w.stride } : inField;
    fields.set(layer.id, field);
    const ops = def.ops(inShape, out, layer.config);
    summaries.push({
      id: layer.id, kind: layer.kind, inputShape: inShape, outputShape: out, params: def.params(inShape, layer.config),
      trainable: layer.config.trainable !== false, macs: ops.macs, otherOps: ops.other, ...(field ? { receptiveField: field.rf } : {}), range: layer.range,
    });
  }
  if (!ok) return undefined;
  const last = layers[layers.length - 1] as LayerSpec;
  for (const layer of layers.slice(0, -1)) {
    if (!used.has(layer.id)) c.report(layer.range, `Layer '${layer.id}' feeds no other layer, so it does not affect the output (the last layer, '${last.id}').`, 'unused-layer', 'warning');
  }
  const outputShape = shapes.get(last.id) as number[];
  const totals = sumTotals(summaries);
  return { layers: summaries, totalParams: totals.params, totals, outputShape };
}

function sumTotals(layers: LayerSummary[]): ModelTotals {
  const t: ModelTotals = { params: 0, trainableParams: 0, macs: 0, otherOps: 0, convParams: 0, denseParams: 0, convMacs: 0, denseMacs: 0 };
  for (const l of layers) {
    const category = LAYERS[l.kind]?.category;
    t.params += l.params;
    if (l.trainable) t.trainableParams += l.params;
    t.macs += l.macs;
    t.otherOps += l.otherOps;
    if (category === 'conv') {
      t.convParams += l.params;
      t.convMacs += l.macs;
    } else if (category === 'dense') {
      t.denseParams += l.params;
      t.denseMacs += l.macs;
    }
  }
  return t;
}
