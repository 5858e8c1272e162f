// Measures the inside of the network at one moment: per layer the weight and bias summaries, the
// gradient norm on a sampled batch, the update/weight ratio since the last measurement, the
// activations on a fixed probe batch (dead ReLUs, saturated sigmoid/tanh), conv filters and
// feature maps, and the model's predictions. Everything is reduced in the worker; only summaries
// leave it. Every tensor made here is disposed before collect() returns.
// Cost (kept under 5% of training, so watching costs little): the gradients and the validation
// predictions are what the training loop computes anyway, so the hook hands them in (Reused)
// instead of a second backward pass and a second validation pass; only at init, or when they cannot
// be reused, are they computed here, on the probe batch.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { type LayerStats, type StatsRecord, type ValueSummary, filterStackShape } from '../../protocol/stats';
import type { LayerSpec, ModelSpec, InitializerSpec } from '../../model/language/model';
import { sanitize } from '../train/buildModel';
import { lossFn } from '../train/losses';
import type { TensorPair } from '../train/tensors';
import { withoutSideEffects } from '../train/withoutSideEffects';
import { collectPredictions } from './predictions';
import { deadFraction, l2, l2Diff, round4, round4All, saturatedFraction } from './summarize';
import { l2Tensor, summarizeTensor } from './tensorSummary';
import { initTarget } from './targets';
import { encodeMaps, encodeTensorMaps } from './heapMaps';
import { valuesOf } from './statsHeap';

const RELU_FAMILY = new Set(['relu', 'relu6']);
/** Probe examples whose conv feature maps are sent, and the value budget for maps and filters. */
const MAP_EXAMPLES = 6;
const MAP_BUDGET = 6000;
const FILTER_BUDGET = 4096;

/** Each layer's output on the probe batch, read where it lies (no copy out of the wasm heap). */
type Activations = Map<string, { shape: number[]; tensor: tf.Tensor }>;

interface Previous {
  kernel: Float32Array;
  /** l2(kernel), computed when it was the current kernel. */
  norm: number;
  step: number;
}

/** What the training loop already computed for this collection (engine/stats/insideHook.ts taps it). */
export interface Reused {
  /** L2 norm of each variable's gradient on the step that just ran, by variable name (gradientNorms). */
  gradNorms?: Map<string, number>;
  /** The confusion matrix of the loop's validation pass at these weights. */
  confusion?: number[][];
}

/** L2 norm of each gradient, by variable name: summed where it lies (cheaper than tf.norm's ops per variable). */
export function gradientNorms(grads: tf.NamedTensorMap): Map<string, number> {
  const result = new Map<string, number>();
  for (const [name, g] of Object.entries(grads)) if (g) result.set(name, l2Tensor(g));
  return result;
}

export class StatsCollector {
  private readonly previous = new Map<string, Previous>();
  private readonly variables = new Map<string, { kernel?: tfl.LayerVariable; bias?: tfl.LayerVariable }>();
  private readonly targets = new Map<string, { fanIn: number; fanOut: number; target: NonNullable<LayerStats['target']> }>();
  private readonly loss: (y: tf.Tensor, p: tf.Tensor) => tf.Scalar;
  /**
   * The same layers with every layer's output as an output: one forward pass gives all activations
   * (applying layer by layer costs ten times more in tfjs-layers' bookkeeping). It owns no weights:
   * a container built over existing symbolic tensors leaves the layers' reference counts alone, so
   * disposing the training model still frees everything.
   */
  private readonly probeModel: tfl.LayersModel;
  /** Whether the probe batch's first inputs went out (they never change: with the first collection only). */
  private probeInputsSent = false;

  constructor(
    private readonly spec: ModelSpec,
    private readonly model: tfl.LayersModel,
    /** Fixed probe batch from the training set: activations, gradients and feature maps. */
    private readonly probe: TensorPair,
    private readonly val?: TensorPair,
  ) {
    this.loss = lossFn(spec.train.loss);
    const outputs = spec.model.layers.map((l) => model.getLayer(sanitize(l.id)).output as tfl.SymbolicTensor);
    this.probeModel = tfl.model({ inputs: model.inputs, outputs, name: `${model.name}_probe` });
  }

  collect(step: number, epoch: number, when: StatsRecord['when'], reused: Reused = {}): StatsRecord {
    const grads = reused.gradNorms ?? this.probeGradientNorms();
    const acts = this.activations();
    try {
      return this.record(step, epoch, when, reused, grads, acts);
    } finally {
      for (const a of acts.values()) a.tensor.dispose();
    }
  }

  private record(step: number, epoch: number, when: StatsRecord['when'], reused: Reused, grads: Map<string, number>, acts: Activations): StatsRecord {
    /** flatten/reshape outputs share their input's values (activations()): summarized once. */
    const summaries = new Map<object, ValueSummary>();
    const layers: LayerStats[] = this.spec.model.layers.map((ls) => {
      const layer = this.model.getLayer(sanitize(ls.id));
      const activation = typeof ls.config.activation === 'string' ? ls.config.activation : undefined;
      const out: LayerStats = { id: ls.id, kind: ls.kind, index: ls.index, ...(activation ? { activation } : {}) };
      this.weightStats(ls, layer, out, step, grads);
      const a = acts.get(ls.id);
      if (a) {
        const known = summaries.get(a.tensor.dataId);
        out.act = known ?? summarizeTensor(a.tensor);
        if (!known) summaries.set(a.tensor.dataId, out.act);
        const units = a.shape[a.shape.length - 1] ?? 1;
        // valuesOf may be a view of the heap: each is used at once, before anything allocates.
        if (activation && RELU_FAMILY.has(activation)) out.dead = round4(deadFraction(valuesOf(a.tensor), units));
        if (activation === 'sigmoid' || activation === 'tanh') out.saturated = round4(saturatedFraction(valuesOf(a.tensor), activation));
        if (ls.kind === 'conv2d') out.maps = featureMaps(a.tensor);
      }
      return out;
    });
    const record: StatsRecord = { step, epoch, when, layers };
    const predictions = collectPredictions(this.spec, this.model, this.probe, this.val, reused.confusion);
    if (predictions) record.predictions = predictions;
    // The probe batch never changes: its images go with the first collection only (the Filters
    // panel takes them from the first record that has them; the host keeps every record).
    if (this.spec.model.input.length === 3 && this.probeInputsSent === false) {
      this.probeInputsSent = true;
      const inputs = probeInputs(this.probe);
      if (inputs) record.probeInputs = inputs;
    }
    return record;
  }

  private weightStats(ls: LayerSpec, layer: tfl.layers.Layer, out: LayerStats, step: number, grads: Map<string, number>): void {
    // A layer keeps its variables for the whole run (setWeights writes into them): found once.
    let vars = this.variables.get(ls.id);
    if (!vars) {
      vars = { kernel: layer.weights.find((w) => /kernel/.test(w.name)), bias: layer.weights.find((w) => /bias/.test(w.name)) };
      this.variables.set(ls.id, vars);
    }
    const { kernel: kernelVar, bias: biasVar } = vars;
    if (biasVar) out.bias = summarizeTensor(biasVar.read());
    if (!kernelVar) return;
    // A copy (dataSync of the wasm backend copies out of the heap): kept as the next update's base.
    const kernel = Float32Array.from(kernelVar.read().dataSync());
    const shape = kernelVar.shape as number[];
    // The target depends on the layer's shape, activation and initializer only: made once per layer.
    let target = this.targets.get(ls.id);
    if (!target) {
      const t = initTarget(shape, out.activation, ls.config.kernelInitializer as InitializerSpec | undefined);
      target = { fanIn: t.fanIn, fanOut: t.fanOut, target: { rule: t.rule, std: round4(t.std), initializer: t.initializer, ...(t.initializerStd !== undefined ? { initializerStd: round4(t.initializerStd) } : {}) } };
      this.targets.set(ls.id, target);
    }
    out.fanIn = target.fanIn;
    out.fanOut = target.fanOut;
    out.target = { ...target.target };
    out.kernel = summarizeTensor(kernelVar.read());
    const wNorm = l2(kernel);
    out.weightNorm = round4(wNorm);
    const g = grads.get((kernelVar.read() as tf.Variable).name);
    if (g !== undefined) {
      out.gradNorm = round4(g);
      out.gradRms = round4(g / Math.sqrt(Math.max(1, kernel.length)));
    }
    const prev = this.previous.get(ls.id);
    if (prev && step > prev.step) {
      const prevNorm = prev.norm;
      if (prevNorm > 0) out.updateRatio = round4(l2Diff(kernel, prev.kernel) / prevNorm / (step - prev.step));
    }
    this.previous.set(ls.id, { kernel, norm: wNorm, step });
    if (ls.kind === 'conv2d' && shape.length === 4) {
      const [kh, kw, cin, cout] = shape as [number, number, number, number];
      const per = kh * kw * cin;
      const keep = Math.max(1, Math.min(cout, Math.floor(FILTER_BUDGET / per)));
      const values = new Float32Array(per * keep);
      // tfjs order is (h, w, in, out): keep the first `keep` filters of every position.
      for (let i = 0; i < per; i++) for (let o = 0; o < keep; o++) values[i * keep + o] = kernel[i * cout + o] as number;
      out.filters = { shape: [kh, kw, cin, keep], quantized: encodeMaps(values, filterStackShape([kh, kw, cin, keep]), 1), totalFilters: cout };
    }
  }

  /** L2 norm of each trainable variable's gradient of the loss on the probe batch, by variable name. */
  private probeGradientNorms(): Map<string, number> {
    const vars = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    if (vars.length === 0) return new Map();
    let norms = new Map<string, number>();
    withoutSideEffects(this.model, () => tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => this.loss(this.probe.y, this.model.apply(this.probe.x, { training: true }) as tf.Tensor), vars);
      tf.dispose(value);
      norms = gradientNorms(grads);
    }));
    for (const v of vars) if (!norms.has(v.name)) norms.set(v.name, 0);
    return norms;
  }

  /** Every layer's output on the probe batch (inference mode), in one forward pass; the caller disposes the tensors. */
  private activations(): Activations {
    const result: Activations = new Map();
    tf.tidy(() => {
      const ys = this.probeModel.apply(this.probe.x, { training: false }) as tf.Tensor | tf.Tensor[];
      const list = Array.isArray(ys) ? ys : [ys];
      this.spec.model.layers.forEach((ls, i) => {
        const y = list[i];
        if (y) result.set(ls.id, { shape: y.shape, tensor: tf.keep(y) });
      });
    });
    return result;
  }

  dispose(): void {
    this.previous.clear();
    this.variables.clear();
    this.targets.clear();
  }
}

/** Feature maps of the first probe examples, as many as fit the budget. */
function featureMaps(t: tf.Tensor): LayerStats['maps'] {
  const [n, h, w, c] = t.shape as [number, number, number, number];
  const per = h * w * c;
  const count = Math.min(n, MAP_EXAMPLES, Math.floor(MAP_BUDGET / per));
  if (count < 1) return undefined;
  return { shape: [h, w, c], quantized: encodeTensorMaps(t, [h, w, c], count) };
}

function probeInputs(probe: TensorPair): StatsRecord['probeInputs'] {
  const shape = probe.x.shape.slice(1);
  const per = shape.reduce((a, b) => a * b, 1);
  const count = Math.min(probe.n, MAP_EXAMPLES, Math.floor(MAP_BUDGET / per));
  if (count < 1) return undefined;
  const values = tf.tidy(() => tf.slice(probe.x, 0, count).dataSync());
  const examples: number[][] = [];
  for (let e = 0; e < count; e++) examples.push(round4All(values, e * per, (e + 1) * per));
  return { shape, examples };
}
