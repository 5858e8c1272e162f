import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DATASETS } from '../../model/datasets';
import { generate, GENERATOR_NAMES } from '../../engine/data/generate';
import { loadDataset } from '../../engine/data/load';
import { parseModel } from '../../model/language/parse';
import { datasetsDir } from './helpers';

const counts = (y: Float32Array, k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const v of y) c[v] = (c[v] ?? 0) + 1;
  return c;
};

test('every generated set in the catalog has a generator, and the reverse', () => {
  const generated = Object.entries(DATASETS).filter(([, d]) => d.generated).map(([n]) => n).sort();
  assert.deepEqual([...GENERATOR_NAMES].sort(), generated);
});

test('each generator: shape, task, seeded determinism and another seed giving other points', () => {
  for (const name of GENERATOR_NAMES) {
    const def = DATASETS[name]!;
    const a = generate(name, { samples: 300, noise: 0.1, seed: 4 });
    const b = generate(name, { samples: 300, noise: 0.1, seed: 4 });
    const c = generate(name, { samples: 300, noise: 0.1, seed: 5 });
    assert.equal(a.n, 300, name);
    assert.deepEqual(a.shape, def.shape, name);
    assert.equal(a.x.length, 300 * def.shape[0]!, name);
    assert.equal(a.y.length, 300, name);
    assert.equal(a.task, def.task, name);
    assert.deepEqual(a.x, b.x, `${name}: same seed, same inputs`);
    assert.deepEqual(a.y, b.y, `${name}: same seed, same targets`);
    assert.notDeepEqual(a.x, c.x, `${name}: another seed, other points`);
    assert.ok(a.x.every(Number.isFinite) && a.y.every(Number.isFinite), name);
  }
});

test('classification sets are balanced: every class has close to its share', () => {
  const cases: [string, number, object][] = [
    ['xor', 2, {}], ['circles', 2, {}], ['moons', 2, {}], ['spirals', 3, { classes: 3 }], ['blobs', 4, { classes: 4 }],
    ['linear', 2, {}], ['linear', 2, { separable: false }], ['checkerboard', 2, {}],
  ];
  for (const [name, k, extra] of cases) {
    const ds = generate(name, { samples: 1200, noise: 0.05, seed: 2, ...extra });
    assert.equal(ds.classes, k, name);
    for (const n of counts(ds.y, k)) assert.ok(Math.abs(n - 1200 / k) < 0.1 * 1200, `${name}: class sizes ${counts(ds.y, k)}`);
  }
});

test('linear is separable by a line; separable: false puts about 10% of labels across it', () => {
  // A perceptron-style check: the best line through the origin (any angle) classifies every
  // point of the separable set, and misclassifies 5-15% of the other.
  const bestAccuracy = (x: Float32Array, y: Float32Array): number => {
    let best = 0;
    for (let a = 0; a < 360; a += 0.5) {
      const [wx, wy] = [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)];
      let ok = 0;
      for (let i = 0; i < y.length; i++) ok += Number((wx * x[2 * i]! + wy * x[2 * i + 1]! > 0 ? 1 : 0) === y[i]);
      best = Math.max(best, ok / y.length);
    }
    return best;
  };
  const sep = generate('linear', { samples: 600, noise: 0, seed: 9 });
  const mixed = generate('linear', { samples: 600, noise: 0, seed: 9, separable: false });
  assert.equal(bestAccuracy(sep.x, sep.y), 1);
  const m = bestAccuracy(mixed.x, mixed.y);
  assert.ok(m > 0.85 && m < 0.95, `best line on the non-separable set: ${m}`);
});

test('blobs: spread sets the deviation around each centre; checkerboard colours alternate', () => {
  const tight = generate('blobs', { samples: 400, noise: 0, seed: 1, classes: 2, spread: 0.05 });
  for (let i = 0; i < tight.n; i++) {
    const cx = tight.y[i] === 0 ? 0.6 : -0.6;
    assert.ok(Math.hypot(tight.x[2 * i]! - cx, tight.x[2 * i + 1]!) < 0.3, 'points near their centre');
  }
  const board = generate('checkerboard', { samples: 500, noise: 0, seed: 1, cells: 2 });
  for (let i = 0; i < board.n; i++) assert.equal(board.y[i], (board.x[2 * i]! > 0) === (board.x[2 * i + 1]! > 0) ? 0 : 1);
});

test('sine and polynomial are regressions whose targets follow the function', () => {
  const sine = generate('sine', { samples: 300, noise: 0, seed: 3 });
  assert.equal(sine.classes, 0);
  for (let i = 0; i < sine.n; i++) {
    assert.ok(Math.abs(sine.x[i]!) <= Math.PI);
    assert.ok(Math.abs(sine.y[i]! - Math.sin(sine.x[i]!)) < 1e-5);
  }
  const poly = generate('polynomial', { samples: 200, noise: 0, seed: 3, coefficients: [1, 0, -2] });
  for (let i = 0; i < poly.n; i++) assert.ok(Math.abs(poly.y[i]! - (1 - 2 * poly.x[i]! ** 2)) < 1e-5);
  const noisy = generate('sine', { samples: 2000, noise: 0.2, seed: 3 });
  let sq = 0;
  for (let i = 0; i < noisy.n; i++) sq += (noisy.y[i]! - Math.sin(noisy.x[i]!)) ** 2;
  assert.ok(Math.abs(Math.sqrt(sq / noisy.n) - 0.2) < 0.02, 'noise is on y with the given deviation');
});

test('the model file takes each generator option, checked on its value', () => {
  const file = (data: string, extra = '') => `data:\n${data}\nmodel:\n  input: [2]\n  layers:\n    - dense: {units: 1, activation: sigmoid}\ntrain:\n  loss: binaryCrossentropy\n${extra}`;
  const ok = parseModel(file('  dataset: blobs\n  classes: 2\n  spread: 0.3'));
  assert.ok(ok.spec, JSON.stringify(ok.diagnostics));
  assert.deepEqual(ok.spec.data.generator, { spread: 0.3 });
  assert.equal(parseModel(file('  dataset: linear\n  separable: false')).spec?.data.generator?.separable, false);
  const bad = parseModel(file('  dataset: blobs\n  spread: -1'));
  const d = bad.diagnostics.find((x) => x.message.includes('data.spread'));
  assert.ok(d && d.range.start.line === 2, JSON.stringify(bad.diagnostics));
  const wrongKey = parseModel(file('  dataset: xor\n  spread: 0.3'));
  assert.ok(wrongKey.diagnostics.some((x) => x.code === 'unknown-key' && x.range.start.line === 2), JSON.stringify(wrongKey.diagnostics));
  const poly = parseModel(`data:\n  dataset: polynomial\n  coefficients: [0, 1, 1]\nmodel:\n  input: [1]\n  layers:\n    - dense: {units: 1}\ntrain:\n  loss: meanSquaredError\n`);
  assert.deepEqual(poly.spec?.data.generator?.coefficients, [0, 1, 1], JSON.stringify(poly.diagnostics));
  const both = parseModel(`data:\n  dataset: polynomial\n  degree: 2\n  coefficients: [0, 1]\nmodel:\n  input: [1]\n  layers:\n    - dense: {units: 1}\ntrain:\n  loss: meanSquaredError\n`);
  assert.ok(both.diagnostics.some((x) => x.code === 'duplicate-key' && x.range.start.line === 3));
});

test('shipped iris and mnist load with their catalog shapes and every class present', () => {
  const base = { noise: 0, validationSplit: 0.2, seed: 1 };
  const iris = loadDataset({ ...base, dataset: 'iris', samples: 150, classes: 3 }, datasetsDir);
  assert.equal(iris.n, 150);
  assert.deepEqual(iris.shape, [4]);
  assert.deepEqual(counts(iris.y, 3), [50, 50, 50]);
  const mean0 = Array.from({ length: 150 }, (_, i) => iris.x[i * 4]!).reduce((a, b) => a + b) / 150;
  assert.ok(Math.abs(mean0) < 1e-4, 'standardised features');
  const mnist = loadDataset({ ...base, dataset: 'mnist', samples: 5000, classes: 10 }, datasetsDir);
  assert.equal(mnist.n, 5000);
  assert.deepEqual(mnist.shape, [28, 28, 1]);
  assert.equal(mnist.x.length, 5000 * 784);
  assert.deepEqual(counts(mnist.y, 10), new Array(10).fill(500));
  assert.ok(mnist.x.every((v) => v >= 0 && v <= 1));
  const few = loadDataset({ ...base, dataset: 'mnist', samples: 100, classes: 10 }, datasetsDir);
  assert.equal(few.n, 100);
});

test('regression sets: a cross-entropy loss or several output units is an error on the line to change', () => {
  const file = (loss: string, units: number) => `data:\n  dataset: sine\nmodel:\n  input: [1]\n  layers:\n    - dense: {units: 8, activation: sigmoid}\n    - dense: {units: ${units}}\ntrain:\n  loss: ${loss}\n`;
  const ce = parseModel(file('binaryCrossentropy', 1)).diagnostics;
  assert.ok(ce.some((d) => d.code === 'loss-data' && d.range.start.line === 8 && /regression task/.test(d.message)), JSON.stringify(ce));
  const wide = parseModel(file('meanSquaredError', 3)).diagnostics;
  assert.ok(wide.some((d) => d.code === 'output-units' && d.range.start.line === 6 && /needs 1 unit/.test(d.message)), JSON.stringify(wide));
  assert.deepEqual(parseModel(file('meanSquaredError', 1)).diagnostics, []);
});
