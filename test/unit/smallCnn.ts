// A small conv net on 9x9x2 inputs with two workers, for the data-parallel tests
// (test/slow/dataParallel.test.ts) and the choice of the worker count (test/unit/workerCount.test.ts).
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';

export const CNN = `
name: small-cnn
data: {dataset: digits, validationSplit: 0}
model:
  input: [9, 9, 2]
  layers:
    - conv2d: {filters: 4, kernelSize: 3, padding: same, activation: relu}
    - maxPooling2d: {poolSize: 2}
    - conv2d: {filters: 5, kernelSize: 2, strides: 2, activation: tanh}
    - flatten
    - dense: {units: 3, activation: softmax}
train: {loss: categoricalCrossentropy, optimizer: adam, learningRate: 0.01, batchSize: 13, epochs: 2, metrics: [accuracy], seed: 4, workers: 2}
`;

/** The spec of a model text, data files unchecked. */
export const specOf = (text: string) => {
  const r = parseModel(text, { checkData: false });
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
