// Output shape, parameters, multiply-accumulates and receptive field of every layer, by arithmetic
// on the spec alone: instant, and the same shapes and counts the built tfjs model reports (checked
// by test/unit/layers-tfjs.test.ts). Layers form a graph through `id` and `inputs`; a layer can only
// take layers above it, so file order is a topological order and a cycle is a reference downwards.
import type { Checker } from '../language/check';
import { LAYERS } from '../language/layers';
import type { LayerSpec } from '../language/model';
import type { Range } from '../language/diagnostic';

export interface LayerSummary {
  id: string;
  kind: string;
  /** The (first) input's shape. */
  inputShape: number[];
  /** Every input's shape, for merge layers. */
  inputShapes: number[][];
  outputShape: number[];
  /** All parameters, trainable and not. */
  params: number;
  /** Parameters training does not change: batch norm's moving statistics, or all of a frozen layer. */
  nonTrainableParams: number;
  trainable: boolean;
  /** Multiply-accumulates per example. */
  macs: number;
  /** Bias additions per example (not in macs). */
  biasAdds: number;
  /** Other operations per example: pooling comparisons, activations, normalisation, merges. */
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
  /** Bias additions per example; macs + biasAdds is the "ops" of the course's CNN table. */
  biasAdds: number;
}

export interface ModelSummary {
  layers: LayerSummary[];
  totalParams: number;
  totals: ModelTotals;
  outputShape: number[];
}

export const INPUT_ID = 'input';

/** Receptive field and jump (input pixels between neighbouring outputs) of a spatial tensor. */
interface Field { rf: number; jump: number }

/** Walks the layers in file order; reports problems on the offending layer's line. */
export function analyzeShapes(c: Checker, input: number[], layers: LayerSpec[]): ModelSummary | undefined {
  const shapes = new Map<string, number[]>([[INPUT_ID, input]]);
  const fields = new Map<string, Field | undefined>([[INPUT_ID, input.length === 2 || input.length === 3 ? { rf: 1, jump: 1 } : undefined]]);
  const order = new Map(layers.map((l, i) => [l.id, i]));
  const used = new Set<string>();
  const summaries: LayerSummary[] = [];
  let ok = true;
  for (const [position, layer] of layers.entries()) {
    const def = LAYERS[layer.kind];
    if (!def) return undefined;
    const sources = layer.inputs.length === 0 ? [INPUT_ID] : layer.inputs;
    const where = layer.optionRanges.inputs ?? layer.range;
    if (def.arity === 'many' ? sources.length < 2 : sources.length !== 1) {
      const message = def.arity === 'many'
        ? `${layer.kind} joins two or more layers: give their ids, e.g. inputs: [a, b]; it has ${sources.length}.`
        : `${layer.kind} takes exactly one input; it has ${sources.length}. Join layers with add, concatenate or multiply first.`;
      c.report(where, message, 'bad-inputs');
      ok = false;
      continue;
    }
    const inShapes: number[][] = [];
    for (const source of sources) {
      const shape = shapes.get(source);
      if (shape) {
        inShapes.push(shape);
        continue;
      }
      const at = order.get(source);
      const message = source === layer.id ? `Layer '${layer.id}' cannot take its own output (a cycle).`
        : at !== undefined && at > position ? `Layer '${source}' is defined after '${layer.id}': a layer can only take layers above it (no cycles).`
          : at !== undefined ? `Layer '${source}' has an error, so '${layer.id}' cannot be checked.`
            : `No layer has the id '${source}'. Ids here: ${['input', ...layers.slice(0, position).map((l) => l.id)].join(', ')}.`;
      c.report(where, message, 'bad-inputs', at !== undefined && at < position ? 'info' : 'error');
    }
    if (inShapes.length !== sources.length) {
      ok = false;
      continue;
    }
    sources.forEach((s) => used.add(s));
    const inShape = inShapes[0] as number[];
    const out = def.outputShape(inShape, layer.config, inShapes);
    if (typeof out === 'string') {
      c.report(layer.range, out, 'shape');
      ok = false;
      continue;
    }
    shapes.set(layer.id, out);
    fields.set(layer.id, nextField(sources.map((s) => fields.get(s)), out, def.window?.(layer.config)));
    const ops = def.ops(inShape, out, layer.config, inShapes);
    const params = def.params(inShape, layer.config);
    const trainable = layer.config.trainable !== false;
    const field = fields.get(layer.id);
    summaries.push({
      id: layer.id, kind: layer.kind, inputShape: inShape, inputShapes: inShapes, outputShape: out, params,
      nonTrainableParams: trainable ? def.nonTrainableParams?.(inShape, layer.config) ?? 0 : params, trainable,
      macs: ops.macs, biasAdds: def.biasAdds?.(out, layer.config) ?? 0, otherOps: ops.other, ...(field ? { receptiveField: field.rf } : {}), range: layer.range,
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

/**
 * The receptive field after a layer: a window widens it by (size-1)*dilation input-side steps;
 * strides multiply the jump, upsampling divides it; merges take the widest branch.
 */
function nextField(inputs: (Field | undefined)[], out: number[], w: ReturnType<NonNullable<(typeof LAYERS)[string]['window']>> | undefined): Field | undefined {
  if (out.length !== 2 && out.length !== 3) return undefined;
  if (inputs.some((f) => !f)) return undefined;
  const fs = inputs as Field[];
  const widest = fs.reduce((a, b) => (b.rf > a.rf ? b : a));
  if (!w) return widest;
  if (w.upsample) {
    const jump = widest.jump / w.stride;
    return { rf: widest.rf + (w.size - 1) * jump, jump };
  }
  return { rf: widest.rf + (w.size - 1) * w.dilation * widest.jump, jump: widest.jump * w.stride };
}

function sumTotals(layers: LayerSummary[]): ModelTotals {
  const t: ModelTotals = { params: 0, trainableParams: 0, macs: 0, otherOps: 0, convParams: 0, denseParams: 0, convMacs: 0, denseMacs: 0, biasAdds: 0 };
  for (const l of layers) {
    const category = LAYERS[l.kind]?.category;
    t.params += l.params;
    t.trainableParams += l.params - l.nonTrainableParams;
    t.macs += l.macs;
    t.otherOps += l.otherOps;
    t.biasAdds += l.biasAdds;
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
