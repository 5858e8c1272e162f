// Every rule fires on a model that breaks it, stays quiet on one that does not, and (where it
// offers one) its preferred quick fix, applied to the text, makes the message go away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';
import { RULES } from '../../model/rules';
import { applyEdits, model } from './rulesHelpers';

interface Case {
  code: string;
  fires: string;
  quiet: string;
  /** Line of the text the message must be on. */
  line?: string;
}

const CNN = ['conv2d: {filters: 8, kernelSize: 3, padding: same, activation: relu}', 'maxPooling2d: {poolSize: 2}', 'flatten', 'dense: {units: 10, activation: softmax}'];
const digits = { dataset: 'digits', input: '[64]', loss: 'categoricalCrossentropy' };
const sine = { dataset: 'sine', input: '[1]', loss: 'meanSquaredError' };

const CASES: Case[] = [
  { code: 'input-shape', fires: model({ input: '[3]' }), quiet: model({}), line: 'input: [3]' },
  { code: 'output-shape', fires: model({ ...digits, input: '[8, 8, 1]', layers: ['conv2d: {filters: 10, kernelSize: 3}'] }), quiet: model({ ...digits, input: '[8, 8, 1]', layers: CNN }) },
  { code: 'loss-data', fires: model({ ...digits, loss: 'binaryCrossentropy', layers: ['dense: {units: 1, activation: sigmoid}'] }), quiet: model({ ...digits, layers: ['dense: {units: 10, activation: softmax}'] }), line: 'loss:' },
  { code: 'output-units', fires: model({ ...digits, layers: ['dense: {units: 9, activation: softmax}'] }), quiet: model({ ...digits, layers: ['dense: {units: 10, activation: softmax}'] }), line: 'units: 9' },
  { code: 'loss-activation', fires: model({ ...digits, layers: ['dense: {units: 10, activation: sigmoid}'] }), quiet: model({ ...digits, layers: ['dense: {units: 10, activation: softmax}'] }), line: 'units: 10' },
  { code: 'softmax-one-unit', fires: model({ loss: 'meanSquaredError', layers: ['dense: {units: 8, activation: relu}', 'dense: {units: 1, activation: softmax}'] }), quiet: model({ loss: 'meanSquaredError', layers: ['dense: {units: 8, activation: relu}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'softmax' },
  { code: 'regression-activation', fires: model({ ...sine, layers: ['dense: {units: 16, activation: tanh}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ ...sine, layers: ['dense: {units: 16, activation: tanh}', 'dense: {units: 1}'] }), line: 'units: 1,' },
  { code: 'metric-task', fires: model({ ...sine, metrics: '[accuracy]', layers: ['dense: {units: 16, activation: tanh}', 'dense: {units: 1}'] }), quiet: model({ ...sine, layers: ['dense: {units: 16, activation: tanh}', 'dense: {units: 1}'] }), line: 'metrics' },
  { code: 'linear-stack', fires: model({ layers: ['dense: {units: 8}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({}), line: 'units: 8' },
  { code: 'relu-no-effect', fires: model({ layers: ['dense: {units: 8, activation: relu}', 'dropout: {rate: 0.2}', 'reLU', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 8}', 'reLU', 'dense: {units: 1, activation: sigmoid}'] }), line: 'reLU' },
  { code: 'init-activation', fires: model({ layers: ['dense: {units: 8, activation: relu, kernelInitializer: glorotNormal}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 8, activation: relu, kernelInitializer: heNormal}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'glorotNormal' },
  { code: 'init-scale', fires: model({ layers: ['dense: {units: 8, activation: tanh, kernelInitializer: {randomNormal: {stddev: 5}}}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 8, activation: tanh, kernelInitializer: {randomNormal: {stddev: 0.4}}}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'stddev: 5' },
  { code: 'vanishing-gradients', fires: model({ layers: [...Array(4).fill('dense: {units: 8, activation: tanh}'), 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: [...Array(3).fill('dense: {units: 8, activation: tanh}'), 'dense: {units: 1, activation: sigmoid}'] }) },
  { code: 'bn-after-activation', fires: model({ layers: ['dense: {units: 8, activation: relu}', 'batchNormalization', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 8}', 'batchNormalization', 'activation: {activation: relu}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'batchNormalization' },
  { code: 'dropout-rate', fires: model({ layers: ['dense: {units: 8, activation: relu}', 'dropout: {rate: 0.8}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 8, activation: relu}', 'dropout: {rate: 0.5}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'rate: 0.8' },
  { code: 'dense-on-feature-map', fires: model({ ...digits, input: '[8, 8, 1]', layers: ['conv2d: {filters: 16, kernelSize: 3, padding: same, activation: relu}', 'flatten', 'dense: {units: 10, activation: softmax}'] }), quiet: model({ ...digits, input: '[8, 8, 1]', layers: CNN }), line: 'units: 10' },
  { code: 'learning-rate', fires: model({ learningRate: '0.5' }), quiet: model({}), line: 'learningRate: 0.5' },
  { code: 'batch-size', fires: model({ batchSize: '1000' }), quiet: model({}), line: 'batchSize: 1000' },
  { code: 'model-too-big', fires: model({ layers: ['dense: {units: 4000, activation: tanh}', 'dense: {units: 70000, activation: tanh}', 'dense: {units: 1, activation: sigmoid}'] }), quiet: model({ layers: ['dense: {units: 4000, activation: tanh}', 'dense: {units: 7000, activation: tanh}', 'dense: {units: 1, activation: sigmoid}'] }), line: 'units: 70000' },
];

test('every rule has a case here, and every case is a rule', () => {
  assert.deepEqual(CASES.map((c) => c.code).sort(), RULES.map((r) => r.code).sort());
});

for (const c of CASES) {
  test(`${c.code}: fires on the right line, with its explanation, and not on a model that follows it`, () => {
    const fired = parseModel(c.fires).diagnostics.filter((d) => d.code === c.code);
    assert.equal(fired.length > 0, true, `${c.code} did not fire on:\n${c.fires}\n${JSON.stringify(parseModel(c.fires).diagnostics)}`);
    if (c.line) {
      const needle = c.line;
      const line = c.fires.split('\n').findIndex((l) => l.includes(needle));
      assert.equal(fired[0]?.range.start.line, line, `${c.code} on line ${fired[0]?.range.start.line}, expected ${line} (${needle})`);
    }
    const quiet = parseModel(c.quiet).diagnostics;
    assert.deepEqual(quiet.filter((d) => d.code === c.code), [], `${c.code} fired on:\n${c.quiet}`);
    const doc = RULES.find((r) => r.code === c.code);
    assert.ok(doc && doc.explanation.length > 150, `${c.code} needs a paragraph of explanation`);
  });
}

for (const c of CASES) {
  const fix = parseModel(c.fires).diagnostics.find((d) => d.code === c.code)?.fixes?.[0];
  if (!fix) continue;
  test(`${c.code}: the quick fix "${fix.title}" makes the message go away`, () => {
    const fixed = applyEdits(c.fires, fix.edits);
    assert.notEqual(fixed, c.fires);
    const after = parseModel(fixed).diagnostics;
    assert.deepEqual(after.filter((d) => d.code === c.code), [], `still fires after the fix:\n${fixed}`);
    assert.deepEqual(after.filter((d) => d.severity === 'error'), [], `the fix left errors:\n${fixed}\n${JSON.stringify(after)}`);
  });
}
