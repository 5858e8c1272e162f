// Feature maps of every conv layer for one example the user picks from the data (Filters panel),
// with the current weights. One forward pass of a model whose outputs are the conv layers' outputs
// and the prediction; every tensor is made inside tf.tidy, and the example and its maps leave as
// bytes (mapCodec.ts). The answer is cut (channels first, then rows and columns) until it fits one message.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ExamplePick, ExampleSplit, PickedLayerMaps, PickedMaps, PickedMapsReply } from '../../protocol/pickedMaps';
import type { ModelSpec } from '../../model/language/model';
import { sanitize } from '../train/buildModel';
import type { EncodedSet, TensorPair } from '../train/tensors';
import { MAX_MESSAGE_CHARS } from '../../common/stats/budget';
import { quantizeMaps } from '../../common/stats/mapCodec';
import { round4 } from './summarize';

/** A split's examples: encoded rows in host memory (training set) or tensors (validation set). */
export type ExampleSet = EncodedSet | TensorPair;

/** A conv layer: its id in the model file and its layer name in the tfjs model. */
export interface ConvLayerRef {
  id: string;
  name: string;
}

export const convLayersOf = (spec: ModelSpec): ConvLayerRef[] =>
  spec.model.layers.filter((l) => l.kind === 'conv2d').map((l) => ({ id: l.id, name: sanitize(l.id) }));

export const isClassification = (spec: ModelSpec): boolean => /crossentropy|kullback|hinge/i.test(spec.train.loss);

export class PickedMapsComputer {
  /**
   * The same layers with the conv outputs and the prediction as outputs. Like the statistics'
   * probe model it owns no weights, so it sees every update and needs no disposing.
   */
  private readonly probe: tfl.LayersModel;

  constructor(
    model: tfl.LayersModel,
    private readonly convs: ConvLayerRef[],
    private readonly sets: Partial<Record<ExampleSplit, ExampleSet>>,
    private readonly classification: boolean,
  ) {
    const outputs = [...convs.map((c) => model.getLayer(c.name).output as tfl.SymbolicTensor), model.outputs[0] as tfl.SymbolicTensor];
    this.probe = tfl.model({ inputs: model.inputs, outputs, name: `${model.name}_picked_maps` });
  }

  get counts(): Record<ExampleSplit, number> {
    return { train: this.sets.train?.n ?? 0, validation: this.sets.validation?.n ?? 0 };
  }

  compute(pick: ExamplePick, step: number, epoch: number, maxChars = MAX_MESSAGE_CHARS): PickedMapsReply {
    const set = this.sets[pick.split];
    const counts = this.counts;
    if (!set || set.n === 0) return { pick, error: `This run has no ${pick.split === 'train' ? 'training' : 'validation'} examples.` };
    if (!Number.isInteger(pick.index) || pick.index < 0 || pick.index >= set.n) {
      return { pick, error: `Example ${pick.index} is out of range: the ${pick.split === 'train' ? 'training' : 'validation'} set has ${set.n} (0 to ${set.n - 1}).` };
    }
    const { x, y } = row(set, pick.index);
    const label = y.length > 1 ? argmax(y) : (y[0] as number);
    const outs = tf.tidy(() => {
      const input = tf.tensor(x.values, [1, ...x.shape], 'float32');
      const ys = this.probe.apply(input, { training: false }) as tf.Tensor | tf.Tensor[];
      return (Array.isArray(ys) ? ys : [ys]).map((t) => ({ shape: t.shape.slice(1), values: t.dataSync() as Float32Array }));
    });
    const output = outs[outs.length - 1] as { values: Float32Array };
    const predicted = output.values.length > 1 ? argmax(output.values) : this.classification ? Number((output.values[0] as number) > 0.5) : round4(output.values[0] as number);
    const layers = this.convs.map((c, i) => ({ id: c.id, ...(outs[i] as { shape: number[]; values: Float32Array }) }));
    const maps = fitMaps({ pick, counts, step, epoch, label: round4(label), predicted, classification: this.classification }, x, layers, maxChars);
    return { pick, maps };
  }
}

interface Raw {
  shape: number[];
  values: ArrayLike<number>;
}

/** Cuts channels (halving the largest layer's) and then strides rows/columns until the JSON fits. */
export function fitMaps(head: Omit<PickedMaps, 'input' | 'layers'>, input: Raw, layers: (Raw & { id: string })[], maxChars: number): PickedMaps {
  const keep = layers.map((l) => l.shape[2] ?? 1);
  const strides = layers.map(() => 1);
  let inputStride = 1;
  const build = (): PickedMaps => ({
    ...head,
    input: { ...encoded(input, inputStride, input.shape[2] ?? 1), stride: inputStride },
    layers: layers.map((l, i): PickedLayerMaps => ({ id: l.id, ...encoded(l, strides[i] as number, keep[i] as number), totalChannels: l.shape[2] ?? 1, stride: strides[i] as number })),
  });
  for (;;) {
    const maps = build();
    if (JSON.stringify(maps).length <= maxChars) return maps;
    // The biggest part gives way: a layer's channels, then its resolution; the input's resolution.
    const size = (s: number[]): number => (s[0] ?? 1) * (s[1] ?? 1) * (s[2] ?? 1);
    const sizes = maps.layers.map((l) => size(l.shape));
    const inputSize = size(maps.input.shape);
    const big = sizes.indexOf(Math.max(-1, ...sizes));
    if (big >= 0 && (sizes[big] as number) >= inputSize && (keep[big] as number) > 1) keep[big] = Math.ceil((keep[big] as number) / 2);
    else if (big >= 0 && (sizes[big] as number) >= inputSize && (sizes[big] as number) > 1) strides[big] = (strides[big] as number) * 2;
    else if (inputSize > 1) inputStride *= 2;
    else throw new Error('feature maps cannot fit a message'); // unreachable: every part is down to one value
  }
}

/** Every stride-th row and column and the first `channels` channels of an (h, w, c) array, as bytes. */
function encoded(a: Raw, stride: number, channels: number): { shape: [number, number, number]; quantized: PickedLayerMaps['quantized'] } {
  const [h = 1, w = 1, c = 1] = a.shape.length === 3 ? a.shape : a.shape.length === 2 ? [a.shape[0], a.shape[1], 1] : [1, a.shape[0] ?? 1, 1];
  const oh = Math.ceil(h / stride);
  const ow = Math.ceil(w / stride);
  const values: number[] = [];
  for (let y = 0; y < h; y += stride) for (let x = 0; x < w; x += stride) for (let k = 0; k < channels; k++) values.push(a.values[(y * w + x) * c + k] as number);
  const shape: [number, number, number] = [oh, ow, channels];
  return { shape, quantized: quantizeMaps(values, shape, 1) };
}

function row(set: ExampleSet, i: number): { x: { shape: number[]; values: Float32Array }; y: Float32Array } {
  if ('xShape' in set) {
    const width = set.x.length / set.n;
    return { x: { shape: set.xShape, values: set.x.subarray(i * width, (i + 1) * width) }, y: set.y.subarray(i * set.yWidth, (i + 1) * set.yWidth) };
  }
  return tf.tidy(() => ({
    x: { shape: set.x.shape.slice(1), values: tf.slice(set.x, i, 1).dataSync() as Float32Array },
    y: tf.slice(set.y, i, 1).dataSync() as Float32Array,
  }));
}

function argmax(v: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if ((v[i] as number) > (v[best] as number)) best = i;
  return best;
}
