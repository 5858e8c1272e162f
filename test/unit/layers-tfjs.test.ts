// The analysis (model/language/layers, model/analysis/shapes.ts) against tfjs itself: for seeded random
// configs of EVERY layer kind, the output shape, the parameter count and the trainable /
// non-trainable split must equal what the built tfjs model reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-cpu';
import { analyzeShapes } from '../../model/analysis/shapes';
import { Checker } from '../../model/language/check';
import { LAYER_NAMES } from '../../model/language/layers';
import { readLayers } from '../../model/language/parseSections';
import { entry, parseSource } from '../../model/language/source';
import { buildNetwork } from '../../engine/train/buildModel';
import { sanitize } from '../../engine/train/layerFactory';
import { makeRng } from '../../common/random';

type Case = { input: number[]; layers: string[] };
const rng = makeRng(20240611);
const int = (lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)] as T;
const img = (): number[] => [int(5, 13), int(5, 13), int(1, 6)];
const seq = (): number[] => [int(6, 20), int(1, 7)];
const j = (o: object): string => JSON.stringify(o);

/** A few random configs per layer kind; each case is an input shape and layers in YAML flow style. */
const CASES: Record<string, () => Case> = {
  dense: () => ({ input: pick([[int(1, 20)], seq()]), layers: [`dense: ${j({ units: int(1, 12), useBias: pick([true, false]), activation: pick(['relu', 'swish', 'linear']) })}`] }),
  maxout: () => ({ input: pick([[int(1, 20)], seq()]), layers: [`maxout: ${j({ units: int(1, 8), pieces: int(1, 4), useBias: pick([true, false]) })}`] }),
  conv1d: () => {
    const dil = pick([1, 1, 2]);
    return { input: seq(), layers: [`conv1d: ${j({ filters: int(1, 6), kernelSize: int(1, 4), strides: dil > 1 ? 1 : int(1, 3), dilationRate: dil, padding: pick(['valid', 'same']) })}`] };
  },
  conv2d: () => {
    const dil = pick([1, 1, 2]);
    return { input: img(), layers: [`conv2d: ${j({ filters: int(1, 8), kernelSize: [int(1, 4), int(1, 4)], strides: dil > 1 ? 1 : [int(1, 3), int(1, 3)], dilationRate: dil, padding: pick(['valid', 'same']), useBias: pick([true, false]) })}`] };
  },
  conv2dTranspose: () => ({ input: img(), layers: [`conv2dTranspose: ${j({ filters: int(1, 6), kernelSize: int(1, 4), strides: int(1, 3), padding: pick(['valid', 'same']) })}`] }),
  depthwiseConv2d: () => ({ input: img(), layers: [`depthwiseConv2d: ${j({ kernelSize: int(1, 4), strides: int(1, 2), depthMultiplier: int(1, 3), padding: pick(['valid', 'same']), useBias: pick([true, false]) })}`] }),
  separableConv2d: () => ({ input: img(), layers: [`separableConv2d: ${j({ filters: int(1, 8), kernelSize: int(1, 4), strides: int(1, 2), depthMultiplier: int(1, 2), padding: pick(['valid', 'same']) })}`] }),
  maxPooling2d: () => ({ input: img(), layers: [`maxPooling2d: ${j({ poolSize: [int(1, 3), int(1, 3)], strides: pick([1, 2, [1, 2]]), padding: pick(['valid', 'same']) })}`] }),
  averagePooling2d: () => ({ input: img(), layers: [`averagePooling2d: ${j({ poolSize: int(1, 4), padding: pick(['valid', 'same']) })}`] }),
  maxPooling1d: () => ({ input: seq(), layers: [`maxPooling1d: ${j({ poolSize: int(1, 4), strides: int(1, 3), padding: pick(['valid', 'same']) })}`] }),
  averagePooling1d: () => ({ input: seq(), layers: [`averagePooling1d: ${j({ poolSize: int(1, 4), padding: pick(['valid', 'same']) })}`] }),
  globalAveragePooling2d: () => ({ input: img(), layers: ['globalAveragePooling2d'] }),
  globalMaxPooling2d: () => ({ input: img(), layers: ['globalMaxPooling2d'] }),
  globalAveragePooling1d: () => ({ input: seq(), layers: ['globalAveragePooling1d'] }),
  globalMaxPooling1d: () => ({ input: seq(), layers: ['globalMaxPooling1d'] }),
  flatten: () => ({ input: pick([img(), seq(), [int(1, 9)]]), layers: ['flatten'] }),
  reshape: () => {
    const [h, w, c] = img() as [number, number, number];
    return { input: [h, w, c], layers: [`reshape: ${j({ targetShape: pick([[h * w, c], [-1, c], [h, -1]]) })}`] };
  },
  zeroPadding2d: () => ({ input: img(), layers: [`zeroPadding2d: ${j({ padding: pick([int(0, 3), [int(0, 2), int(0, 3)]]) })}`] }),
  upSampling2d: () => ({ input: img(), layers: [`upSampling2d: ${j({ size: pick([int(1, 3), [int(1, 3), int(1, 3)]]), interpolation: pick(['nearest', 'bilinear']) })}`] }),
  dropout: () => ({ input: pick([img(), [int(1, 20)]]), layers: [`dropout: ${j({ rate: 0.3 })}`] }),
  batchNormalization: () => ({ input: pick([img(), seq(), [int(1, 20)]]), layers: [`batchNormalization: ${j({ center: pick([true, false]), scale: pick([true, false]) })}`] }),
  layerNormalization: () => ({ input: pick([img(), seq()]), layers: [`layerNormalization: ${j({ center: pick([true, false]) })}`] }),
  groupNormalization: () => {
    const g = int(1, 3);
    return { input: [int(3, 8), int(3, 8), g * int(1, 3)], layers: [`groupNormalization: ${j({ groups: g, scale: pick([true, false]) })}`] };
  },
  instanceNormalization: () => ({ input: pick([img(), seq()]), layers: ['instanceNormalization'] }),
  activation: () => ({ input: img(), layers: [`activation: ${j({ activation: pick(['relu6', 'elu', 'selu', 'softplus', 'softsign', 'hardSigmoid', 'swish', 'tanh', 'sigmoid', 'softmax']) })}`] }),
  reLU: () => ({ input: img(), layers: ['reLU: {maxValue: 6}'] }),
  leakyReLU: () => ({ input: img(), layers: ['leakyReLU: {alpha: 0.1}'] }),
  elu: () => ({ input: seq(), layers: [`elu: ${j({ alpha: pick([1, 0.5, 2]) })}`] }),
  softmax: () => ({ input: seq(), layers: ['softmax'] }),
  add: () => ({ input: img(), layers: ['conv2d: {filters: 4, kernelSize: 3, padding: same, id: a}', 'conv2d: {filters: 4, kernelSize: 1, id: b, inputs: [a]}', 'add: {inputs: [a, b]}'] }),
  multiply: () => ({ input: seq(), layers: ['dense: {units: 5, id: a}', 'dense: {units: 5, activation: sigmoid, id: b, inputs: [input]}', 'multiply: {inputs: [a, b]}'] }),
  concatenate: () => {
    const axis = pick([-1, 3, 1]);
    const channels = axis === 1 ? 3 : 5; // along height, the widths and channels must agree
    return { input: img(), layers: ['conv2d: {filters: 3, kernelSize: 1, id: a}', `conv2d: {filters: ${channels}, kernelSize: 3, padding: same, id: b, inputs: [input]}`, `concatenate: ${j({ inputs: axis === 1 ? ['a', 'b'] : ['a', 'b', 'input'], axis })}`] };
  },
};

function analyse(c: Case) {
  const text = `model:\n  input: ${j(c.input)}\n  layers:\n${c.layers.map((l) => `    - ${l}\n`).join('')}`;
  const root = parseSource(text).root;
  const layersNode = root && entry(entry(root, 'model')?.value ?? root, 'layers')?.value;
  const checker = new Checker();
  const layers = layersNode && readLayers(checker, layersNode);
  const summary = layers && analyzeShapes(checker, c.input, layers);
  return { text, layers, summary, errors: checker.diagnostics.filter((d) => d.severity === 'error') };
}

const weightsSize = (ws: { shape: (number | null)[] }[]): number => ws.reduce((s, w) => s + w.shape.reduce<number>((a, b) => a * (b ?? 0), 1), 0);

test('every layer kind has cases here', () => {
  assert.deepEqual(LAYER_NAMES.filter((k) => !CASES[k]), []);
});

test('analysis equals tfjs: output shape, params, trainable / non-trainable, for random configs of every layer', async () => {
  await tf.setBackend('cpu');
  let checked = 0;
  for (const kind of LAYER_NAMES) {
    for (let n = 0; n < 6; n++) {
      const c = (CASES[kind] as () => Case)();
      const { text, layers, summary, errors } = analyse(c);
      if (errors.length) {
        // A config the analysis rejects must be one tfjs cannot build either.
        assert.throws(() => { if (layers) buildNetwork({ input: c.input, layers }, 1).dispose(); else throw new Error('unparsed'); }, `${text}\nanalysis said: ${errors.map((e) => e.message).join('; ')}`);
        continue;
      }
      assert.ok(layers && summary, text);
      const model = buildNetwork({ input: c.input, layers }, 1);
      for (const l of summary.layers) {
        const tl = model.getLayer(sanitize(l.id));
        assert.deepEqual(tl.outputShape, [null, ...l.outputShape], `${text}\noutput shape of ${l.id}`);
        assert.equal(tl.countParams(), l.params, `${text}\nparams of ${l.id}`);
        assert.equal(weightsSize(tl.trainableWeights), l.params - l.nonTrainableParams, `${text}\ntrainable params of ${l.id}`);
        assert.equal(weightsSize(tl.nonTrainableWeights), l.nonTrainableParams, `${text}\nnon-trainable params of ${l.id}`);
      }
      // The layer really runs on a batch of two with that shape.
      const y = tf.tidy(() => model.predict(tf.ones([2, ...c.input])) as tf.Tensor);
      assert.deepEqual(y.shape, [2, ...summary.outputShape], text);
      y.dispose();
      model.dispose();
      checked++;
    }
  }
  assert.ok(checked >= LAYER_NAMES.length * 4, `only ${checked} cases built`);
});

test('the custom layers (maxout, group and instance normalisation) save and load: same config, same outputs', async () => {
  await tf.setBackend('cpu');
  const { layers } = analyse({ input: [6, 6, 4], layers: [
    'groupNormalization: {groups: 2, id: g}', 'instanceNormalization: {center: false}', 'flatten',
    'maxout: {units: 5, pieces: 3, kernelInitializer: heNormal, kernelRegularizer: {l2: 0.01}}',
  ] });
  assert.ok(layers);
  const model = buildNetwork({ input: [6, 6, 4], layers }, 3);
  const saved = model.toJSON(undefined, false) as object;
  const loaded = await tfl.models.modelFromJSON(saved as never);
  loaded.setWeights(model.getWeights());
  assert.deepEqual(loaded.layers.map((l) => l.getClassName()), ['InputLayer', 'GroupNormalization', 'InstanceNormalization', 'Flatten', 'Maxout']);
  assert.equal(loaded.countParams(), model.countParams());
  assert.equal(loaded.calculateLosses().length, 1, 'the maxout kernel regularizer survives the round trip');
  const x = tf.randomNormal([3, 6, 6, 4], 0, 1, 'float32', 5);
  const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
  assert.ok(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! < 1e-5);
  // Group normalisation really normalises: each example's group has mean ~0 before scale and shift.
  const g = (model.getLayer('g').apply(x) as tf.Tensor);
  const grouped = tf.reshape(g, [3, 36, 2, 2]);
  assert.ok(tf.max(tf.abs(tf.mean(grouped, [1, 3]))).dataSync()[0]! < 1e-4);
  tf.dispose([x, a, b, g, grouped]);
  model.dispose();
  loaded.dispose();
});
