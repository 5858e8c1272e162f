// Each schedule's value at chosen steps against its formula written out with the numbers, the
// warmups, cycle ends, and the model file's errors on the right line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseModel } from '../../model/language/parse';
import type { ScheduleSpec } from '../../model/language/scheduleSpec';
import { cycleEnds, plannedLearningRate, type ScheduleRun } from '../../engine/train/schedules';
import { XOR } from './helpers';

// 10 steps an epoch, 100 steps in all, base rate 0.1.
const run: ScheduleRun = { baseLearningRate: 0.1, stepsPerEpoch: 10, totalSteps: 100 };
const R = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
const at = (spec: Omit<ScheduleSpec, 'range'>, step: number, r = run): number => plannedLearningRate({ ...spec, range: R }, r, step);
const close = (got: number, want: number, what: string): void => assert.ok(Math.abs(got - want) <= 1e-12 + 1e-9 * Math.abs(want), `${what}: ${got} vs ${want}`);

test('stepDecay: lr * factor^floor(step / every)', () => {
  const s = { main: { kind: 'stepDecay', factor: 0.5, every: { unit: 'epochs', value: 2 } } } as const;
  close(at(s, 0), 0.1, 'step 0');
  close(at(s, 19), 0.1, 'step 19');
  close(at(s, 20), 0.05, 'step 20');
  close(at(s, 45), 0.025, 'step 45');
});

test('exponentialDecay: lr * rate^(step / every), or floored with staircase', () => {
  const s = { main: { kind: 'exponentialDecay', decayRate: 0.9, every: { unit: 'steps', value: 10 }, staircase: false } } as const;
  close(at(s, 5), 0.1 * 0.9 ** 0.5, 'step 5');
  close(at(s, 30), 0.1 * 0.9 ** 3, 'step 30');
  close(at({ main: { ...s.main, staircase: true } }, 15), 0.1 * 0.9, 'staircase step 15');
});

test('cosineDecay: lr * ((1 - alpha) * (1 + cos(pi t / T)) / 2 + alpha), then flat at lr * alpha', () => {
  const s = { main: { kind: 'cosineDecay', alpha: 0.1 } } as const;
  close(at(s, 0), 0.1, 'start');
  close(at(s, 50), 0.1 * (0.9 * 0.5 + 0.1), 'half way');
  close(at(s, 25), 0.1 * (0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)) + 0.1), 'a quarter');
  const short = { main: { kind: 'cosineDecay', alpha: 0, length: { unit: 'epochs', value: 4 } } } as const;
  close(at(short, 60), 0, 'after its 40 steps');
});

test('cosineDecayRestarts (SGDR): cycles of 20, 40 steps with tMul 2, peaks scaled by mMul', () => {
  const s = { main: { kind: 'cosineDecayRestarts', first: { unit: 'epochs', value: 2 }, tMul: 2, mMul: 0.5, alpha: 0 } } as const;
  close(at(s, 10), 0.1 * 0.5 * (1 + Math.cos(Math.PI * 10 / 20)), 'inside the first cycle');
  close(at(s, 20), 0.05, 'restart: peak * mMul');
  close(at(s, 40), 0.05 * 0.5 * (1 + Math.cos(Math.PI * 20 / 40)), 'middle of the second cycle');
  close(at(s, 60), 0.025, 'second restart');
  assert.deepEqual(cycleEnds({ ...s, range: R }, run), [20, 60]);
});

test('cyclic: triangle between lr and max; triangular2 halves each cycle; exp_range scales by gamma^t', () => {
  const tri = { main: { kind: 'cyclic', mode: 'triangular', maxLearningRate: 0.5, stepSize: { unit: 'steps', value: 10 }, gamma: 1 } } as const;
  close(at(tri, 0), 0.1, 'bottom');
  close(at(tri, 5), 0.3, 'half way up');
  close(at(tri, 10), 0.5, 'top');
  close(at(tri, 15), 0.3, 'half way down');
  close(at(tri, 20), 0.1, 'bottom again');
  close(at({ main: { ...tri.main, mode: 'triangular2' } }, 30), 0.1 + 0.4 / 2, 'second peak halved');
  close(at({ main: { ...tri.main, mode: 'exp_range', gamma: 0.99 } }, 30), 0.1 + 0.4 * 0.99 ** 30, 'exp_range peak');
  assert.deepEqual(cycleEnds({ ...tri, range: R }, run), [20, 40, 60, 80, 100]);
});

test('oneCycle: cosine from lr/div up to lr over pctStart, then down to lr/div/finalDiv', () => {
  const s = { main: { kind: 'oneCycle', pctStart: 0.3, divFactor: 25, finalDivFactor: 1e4 } } as const;
  close(at(s, 0), 0.1 / 25, 'start');
  close(at(s, 15), 0.1 / 25 + (0.1 - 0.1 / 25) * 0.5, 'half way up (cosine midpoint)');
  close(at(s, 30), 0.1, 'peak');
  close(at(s, 100), 0.1 / 25 / 1e4, 'end');
});

test('warmup: gradual ramps linearly to the curve start; constant holds lr * factor; the curve starts after it', () => {
  const gradual = { warmup: { mode: 'gradual', length: { unit: 'epochs', value: 1 }, factor: 0.1 }, main: { kind: 'cosineDecay', alpha: 0 } } as const;
  close(at(gradual, 0), 0.1 / 10, 'first warmup step');
  close(at(gradual, 4), 0.1 * 5 / 10, 'fifth warmup step');
  close(at(gradual, 10), 0.1, 'first step of the cosine');
  close(at(gradual, 55), 0.1 * 0.5, 'the cosine is 90 steps long: half way at step 55');
  const constant = { warmup: { mode: 'constant', length: { unit: 'steps', value: 5 }, factor: 0.2 } } as const;
  close(at(constant, 4), 0.02, 'constant warmup');
  close(at(constant, 5), 0.1, 'after warmup: the base rate');
});

const withTrain = (extra: string): string => XOR.replace('  seed: 1', `  seed: 1\n${extra}`);
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle));

test('the model file reads schedules and callbacks, with defaults', () => {
  const r = parseModel(withTrain('  schedule:\n    warmup: {epochs: 2}\n    cosineDecayRestarts: {epochs: 5, tMul: 1}\n  callbacks:\n    snapshotEnsemble: {keep: 3}\n    earlyStopping: {patience: 4}'));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
  const s = r.spec?.train.schedule;
  assert.deepEqual(s?.warmup, { mode: 'gradual', length: { unit: 'epochs', value: 2 }, factor: 0.1 });
  assert.deepEqual(s?.main, { kind: 'cosineDecayRestarts', first: { unit: 'epochs', value: 5 }, tMul: 1, mMul: 1, alpha: 0 });
  assert.deepEqual(r.spec?.train.callbacks, { snapshotEnsemble: { keep: 3 }, earlyStopping: { monitor: 'valLoss', patience: 4, minDelta: 0, restoreBestWeights: false } });
  assert.deepEqual(parseModel(withTrain('  schedule: cosineDecay')).spec?.train.schedule?.main, { kind: 'cosineDecay', alpha: 0 });
});

test('bad schedule and callback options are errors on their own line', () => {
  const cases: [string, string, RegExp][] = [
    ['  schedule:\n    cosineDecay: {alpha: 2}', 'alpha: 2', /cosineDecay.alpha must be >= 0 and <= 1; got 2/],
    ['  schedule:\n    cyclic: {maxLearningRate: 0.01, epochs: 2}', 'maxLearningRate: 0.01', /must be above train.learningRate \(0.05\)/],
    ['  schedule:\n    stepDecay: {factor: 0.5}', 'stepDecay:', /stepDecay needs a length in epochs or steps/],
    ['  schedule:\n    warmup: {epochs: 2, steps: 10}', 'steps: 10', /warmup takes a length in epochs or in steps, not both/],
    ['  schedule:\n    cosineDecay: {}\n    oneCycle: {}', 'oneCycle:', /one main curve; 'cosineDecay' is already set/],
    ['  schedule:\n    cosinDecay: {}', 'cosinDecay:', /Unknown key 'cosinDecay' in train.schedule. Did you mean 'cosineDecay'\?/],
    ['  schedule:\n    cyclic: {maxLearningRate: 1, mode: triangle, epochs: 1}', 'mode: triangle', /cyclic.mode must be one of: triangular, triangular2, exp_range/],
    ['  callbacks:\n    snapshotEnsemble: {}', 'snapshotEnsemble:', /needs train.schedule with cyclic or cosineDecayRestarts/],
    ['  callbacks:\n    earlyStopping: {patience: -1}', 'patience: -1', /earlyStopping.patience must be >= 0 and <= 100000; got -1/],
    ['  callbacks:\n    earlyStopping: {monitor: val_loss}', 'val_loss', /earlyStopping.monitor must be one of: valLoss, loss, valAccuracy, accuracy/],
    ['  callbacks:\n    checkpoint: {save: all}', 'save: all', /checkpoint.save must be one of: best, last, both/],
  ];
  for (const [extra, needle, message] of cases) {
    const text = withTrain(extra);
    const r = parseModel(text);
    assert.equal(r.spec, undefined, extra);
    const d = r.diagnostics.find((x) => message.test(x.message));
    assert.ok(d, `${extra}: ${JSON.stringify(r.diagnostics.map((x) => x.message))}`);
    assert.equal(d.range.start.line, lineOf(text, needle), `${extra}: on the line of ${needle}`);
  }
});

test('optimizers: every name reads with its tfjs options; clipping options on each; bad values on their line', () => {
  for (const o of ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'adamw']) {
    const r = parseModel(XOR.replace('optimizer: adam', `optimizer: {${o}: {clipNorm: 1, clipValue: 0.5}}`));
    assert.deepEqual(r.spec?.train.optimizer, { name: o, options: { clipNorm: 1, clipValue: 0.5 } }, o);
  }
  const text = XOR.replace('optimizer: adam', 'optimizer: {adamw: {weightDecay: 2}}');
  const d = parseModel(text).diagnostics.find((x) => /adamw.weightDecay must be >= 0 and <= 1; got 2/.test(x.message));
  assert.equal(d?.range.start.line, lineOf(text, 'weightDecay'));
  const centered = parseModel(XOR.replace('optimizer: adam', 'optimizer: {rmsprop: {centered: true}}'));
  assert.ok(centered.spec, 'centered rmsprop is allowed');
  assert.ok(centered.diagnostics.some((x) => x.severity === 'warning' && x.code === 'centered-rmsprop'));
});

test('the hover preview: a sparkline over the planned steps and the rate at chosen epochs', async () => {
  const { schedulePreview, plannedRun } = await import('../../engine/train/schedulePreview');
  const { example } = await import('./helpers');
  const spec = parseModel(example('digits-warmup-cosine.model.yaml')).spec!;
  // digits: 1797 examples, 359 for validation, 1438 / 32 -> 45 batches an epoch.
  assert.deepEqual(plannedRun(spec), { baseLearningRate: 0.05, stepsPerEpoch: 45, totalSteps: 900 });
  const text = schedulePreview(spec)!;
  assert.match(text, /Learning rate over 900 steps\*\* \(20 epochs × 45 batches\)/);
  const spark = text.split('\n').find((l) => /^[▁▂▃▄▅▆▇█]+$/.test(l))!;
  assert.equal(spark.length, 48);
  const level = (ch: string | undefined): number => '▁▂▃▄▅▆▇█'.indexOf(ch ?? '');
  assert.ok(level(spark[0]) < level(spark[1]) && level(spark[1]) < level(spark[3]), `warmup climbs: ${spark}`);
  assert.equal(spark.at(-1), '▁', 'cosine ends at the bottom');
  assert.ok(spark.includes('█'));
  assert.match(text, /\| 3 \| 91 \(warmup done\) \| 0.05 \|/);
  assert.match(text, /\| 20 \| 900 \| 5.0\de-4 \|/);
});
