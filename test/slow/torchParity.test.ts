// The PyTorch engine computes what the tfjs engine computes. For a dense, a conv and a graph model
// the tfjs model (buildNetwork, with the spec's seed) writes its initial weights in the weights-file
// format of docs/engines.md and trains 50 steps with the loop's pieces (trainStep, the shuffled
// order of loop.ts); then engines/pytorch loads those weights, takes the same batches and must
// report the same loss at every step: within 1e-4 (relative) with SGD, 1e-3 with Adam. Two more
// models (image, graph) hold every other layer kind with weights or a layout of its own, and
// poolsElu average pools with padding 'same' and an ELU with alpha;
// torchRules.test.ts covers the other optimizers, the schedules and every layer's shape. Each test
// logs its worst gap (PARITY_DEBUG=1: every step's). No torch: the tests fail and say what to
// install (never a skip).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ModelSpec, OptimizerSpec } from '../../model/language/model';
import { STEPS, assertSameLosses, bothEngines, parse, requireTorch, useWasm } from './torchParityHelpers';

before(useWasm);

const MODELS: Record<string, string> = {
  dense: `name: dense
data: {dataset: moons, samples: 200, noise: 0.2}
model:
  input: [2]
  regularizer: {l2: 0.001}
  layers:
    - dense: {units: 16, activation: relu}
    - dense: {units: 16, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train: {loss: binaryCrossentropy, optimizer: sgd, learningRate: 0.1, epochs: 10, batchSize: 16, seed: 3}
`,
  conv: `name: conv
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 6, kernelSize: 3, padding: same, activation: relu}
    - maxPooling2d: {poolSize: 2}
    - conv2d: {filters: 8, kernelSize: 3, strides: 2, padding: same}
    - batchNormalization: {}
    - activation: {activation: relu}
    - flatten: {}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.05, epochs: 10, batchSize: 32, seed: 5}
`,
  graph: `name: graph
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - flatten: {id: flat}
    - dense: {id: a, units: 24, activation: relu, inputs: [flat]}
    - dense: {id: b, units: 24, activation: tanh, inputs: [flat]}
    - add: {id: sum, inputs: [a, b]}
    - multiply: {id: gate, inputs: [sum, b]}
    - concatenate: {id: both, inputs: [gate, flat]}
    - dense: {units: 10, activation: softmax, inputs: [both]}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.05, epochs: 10, batchSize: 32, seed: 7}
`,
  // Every other layer kind with weights or a layout of its own. Not here: dropout (both engines draw
  // the same masks: dropoutMasksParity.test.ts runs it through the CLI); average pooling with padding 'same' is in poolsElu below. A learning
  // rate of 0.03 keeps these deep nets (normalisations over 16 positions) from amplifying float32
  // rounding into different trajectories.
  imageZoo: `name: imageZoo
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - zeroPadding2d: {padding: 1}
    - conv2d: {filters: 4, kernelSize: 3, strides: 2, padding: same, activation: elu}
    - depthwiseConv2d: {kernelSize: 3, depthMultiplier: 2, padding: same, activation: relu6}
    - separableConv2d: {filters: 6, kernelSize: 2, activation: swish}
    - layerNormalization: {}
    - upSampling2d: {size: 2, interpolation: bilinear}
    - averagePooling2d: {poolSize: 2}
    - groupNormalization: {groups: 3}
    - conv2dTranspose: {filters: 4, kernelSize: 3, strides: 2, padding: same, activation: softplus}
    - instanceNormalization: {}
    - maxPooling2d: {poolSize: 3, strides: 2, padding: same}
    - leakyReLU: {alpha: 0.1}
    - reshape: {targetShape: [16, 4]}
    - conv1d: {filters: 5, kernelSize: 3, padding: same, activation: tanh}
    - maxPooling1d: {poolSize: 2}
    - averagePooling1d: {poolSize: 2}
    - flatten: {}
    - maxout: {units: 8, pieces: 3}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.03, epochs: 10, batchSize: 32, seed: 11}
`,
  graphZoo: `name: graphZoo
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {id: c, filters: 4, kernelSize: 2, strides: 2, activation: selu}
    - conv2d: {id: c2, filters: 2, kernelSize: 1, activation: sigmoid, inputs: [c]}
    - concatenate: {id: channels, inputs: [c, c2]}
    - concatenate: {id: rows, axis: 1, inputs: [c, c]}
    - conv2dTranspose: {id: t, filters: 3, kernelSize: 3, strides: 2, activation: hardSigmoid, inputs: [c]}
    - globalMaxPooling2d: {id: gm, inputs: [t]}
    - globalAveragePooling2d: {id: ga, inputs: [channels]}
    - dense: {id: dd, units: 3, activation: softsign, inputs: [rows]}
    - reLU: {id: r, maxValue: 0.5, inputs: [dd]}
    - elu: {id: e, inputs: [r]}
    - batchNormalization: {id: bn, momentum: 0.9, inputs: [e]}
    - flatten: {id: fl, inputs: [bn]}
    - concatenate: {id: all, inputs: [gm, ga, fl]}
    - dense: {id: logits, units: 10, inputs: [all]}
    - softmax: {inputs: [logits]}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.03, epochs: 10, batchSize: 32, seed: 13}
`,
  // What tfjs-layers 4.22 gets wrong or refuses and the tfjs engine replaces: average pools with
  // padding 'same' whose windows overhang the bottom/right border (2d and 1d), whose gradient tfjs
  // divided by the whole window (engine/train/kernels/avgPoolGrad.ts), and an ELU with alpha ≠ 1
  // (engine/train/customLayers/elu.ts). In imageZoo's deep net the two engines' float32 rounding
  // drifted apart after ~20 steps with such a pool, hence a model of its own.
  poolsElu: `name: poolsElu
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 4, kernelSize: 3, padding: same}
    - elu: {alpha: 0.5}
    - averagePooling2d: {poolSize: 3, strides: 2, padding: same}
    - averagePooling2d: {poolSize: 2, strides: 1, padding: same}
    - reshape: {targetShape: [16, 4]}
    - averagePooling1d: {poolSize: 3, strides: 2, padding: same}
    - flatten: {}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: sgd, learningRate: 0.5, epochs: 10, batchSize: 32, seed: 17}
`,
};

const OPTIMIZERS: [string, OptimizerSpec, number, number][] = [
  ['SGD', { name: 'sgd', options: {} }, 0, 1e-4],
  ['Adam', { name: 'adam', options: {} }, 0.005, 1e-3],
];

for (const [name, text] of Object.entries(MODELS)) {
  for (const [label, optimizer, learningRate, tolerance] of OPTIMIZERS) {
    test(`${name} model with ${label}: PyTorch's per-step losses equal tfjs's for ${STEPS} steps`, (t) => {
      requireTorch();
      const parsed = parse(text);
      const spec: ModelSpec = { ...parsed, train: { ...parsed.train, optimizer, learningRate: learningRate || parsed.train.learningRate } };
      const { tfjs, torch } = bothEngines(spec);
      assertSameLosses(t, `${name} ${label}`, tfjs, torch, tolerance);
      // The runs learned something, so agreeing is not agreeing on nothing.
      assert.ok((tfjs[STEPS - 1] as number) < (tfjs[0] as number), `loss fell: ${tfjs[0]} -> ${tfjs[STEPS - 1]}`);
    });
  }
}

// Adam's and Adamax's steps, not only their losses: tfjs keeps beta^t in float32 accumulators, so
// its bias corrections carry float32's rounding of the betas (1 - f32(0.999) is 1.3e-5 below
// 0.001). Exact powers made every Adam step of PyTorch 6.4e-6 longer than tfjs's: the losses hid
// it for 50 steps, but it parted whole runs within a few dozen (docs/engines.md, parity). A first
// step of Adam has a length near the learning rate for every weight whose gradient is well above
// epsilon, so the median ratio of the two engines' lengths must be 1 within 1e-6 there (a step
// read from float32 weights resolves a few 1e-6; Adamax's old error, 2.4e-7, was below that).
// Where a gradient is near epsilon its rounding moves the step, so whole steps agree within 1e-5.
for (const optimizer of [{ name: 'adam', options: {} }, { name: 'adamax', options: {} }] as OptimizerSpec[]) {
  test(`${optimizer.name}: its first step from the same weights is tfjs's within float rounding`, (t) => {
    requireTorch();
    // No bias before a normalisation here: its true gradient is 0, and Adam scales that bias's
    // rounding noise up to whole steps on either engine.
    const parsed = parse(`name: adam-steps
data: {dataset: digits, samples: 300}
model:
  input: [8, 8, 1]
  layers:
    - conv2d: {filters: 6, kernelSize: 3, padding: same, activation: relu}
    - maxPooling2d: {poolSize: 2}
    - flatten: {}
    - dense: {units: 16, activation: tanh}
    - dense: {units: 10, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: adam, learningRate: 0.01, epochs: 1, batchSize: 32, seed: 5}
`);
    const spec: ModelSpec = { ...parsed, train: { ...parsed.train, optimizer } };
    const { weights } = bothEngines(spec, 1, true);
    assert.ok(weights.length >= 6, 'the trained weights of both engines were read');
    const ratios: number[] = [];
    for (const w of weights) {
      assert.ok(w.torch.length === w.tfjs.length && w.initial.length === w.tfjs.length, `${w.name}: the same size on both engines`);
      let [gap, length] = [0, 0];
      w.tfjs.forEach((v, i) => {
        const [a, b] = [v - (w.initial[i] as number), (w.torch[i] as number) - (w.initial[i] as number)];
        gap += (a - b) ** 2;
        length += a * a;
        if (Math.abs(a) > 0.005) ratios.push(b / a);
      });
      const rel = Math.sqrt(gap / length);
      t.diagnostic(`${w.name}: the engines' steps differ by ${rel.toExponential(1)} of their length`);
      assert.ok(rel <= 1e-5, `${w.name}: tfjs's and PyTorch's steps differ by ${rel.toExponential(2)} of their length`);
    }
    ratios.sort((a, b) => a - b);
    const median = ratios[ratios.length >> 1] as number;
    t.diagnostic(`median ratio of step lengths (PyTorch / tfjs) over ${ratios.length} weights: 1 ${median >= 1 ? '+' : '-'} ${Math.abs(median - 1).toExponential(1)}`);
    assert.ok(ratios.length > 100, 'enough weights took a full step');
    assert.ok(Math.abs(median - 1) <= 1e-6, `PyTorch's steps are ${(median - 1).toExponential(2)} longer than tfjs's`);
  });
}
