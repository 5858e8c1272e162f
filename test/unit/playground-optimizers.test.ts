// The playground's surfaces and optimizers: values and gradients at known points, each optimizer's
// first steps by hand and against tfjs's own optimizer, and the course example's three rates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OPTIMIZER_KINDS, type PathSpec } from '../../protocol/playground';
import { makeStepper, type Vec2 } from '../../common/playground/optimizers';
import { runConfig, runPath } from '../../common/playground/paths';
import { SEED_CONFIG } from '../../common/playground/seedExample';
import { BUILTIN_SURFACES, makeSurface, type Surface } from '../../common/playground/surfaces';

const surface = (spec: string): Surface => {
  const m = makeSurface(spec);
  assert.ok(m.ok, spec);
  return m.surface;
};
const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} != ${b}`);

test('each built-in surface: value and gradient at known points, zero gradient at its minima', () => {
  const cases: [string, Vec2, number, Vec2][] = [
    ['bowl', [1, -2], 5, [2, -4]],
    ['elongated', [1, 0.5], 6, [2, 20]],
    ['rosenbrock', [0, 0], 1, [-2, 0]],
    ['rosenbrock', [-1.2, 1], 24.2, [-215.6, -88]],
    ['saddle', [0, 0], 0, [0, 0]],
    ['saddle', [1, 2], 1 + 4 - 2, [2, 6]],
    ['himmelblau', [0, 0], 170, [-14, -22]],
    ['wells', [1, 1], 1 - 2 + 0.5 + 1, [4 - 4 + 0.5, 2]],
    ['beale', [0, 0], 1.5 ** 2 + 2.25 ** 2 + 2.625 ** 2, [-2 * (1.5 + 2.25 + 2.625), 0]],
  ];
  for (const [id, [x, y], value, grad] of cases) {
    const g = surface(id).gradient(x, y);
    close(g.value, value);
    close(g.grad[0], grad[0]);
    close(g.grad[1], grad[1]);
  }
  for (const b of BUILTIN_SURFACES) {
    for (const [x, y] of b.minima) {
      const g = surface(b.id).gradient(x, y);
      assert.ok(Math.hypot(...g.grad) < 1e-4, `${b.id} gradient at its minimum (${x}, ${y}): ${g.grad}`);
    }
  }
  // The saddle point is not a minimum: lower on both sides along y.
  assert.ok(surface('saddle').value(0, 0.5) < surface('saddle').value(0, 0));
});

test('first steps of each optimizer match a hand computation (tfjs defaults)', () => {
  const g1: Vec2 = [2, -4];
  const g2: Vec2 = [1, 1];
  const steps = (spec: PathSpec): Vec2[] => {
    const s = makeStepper(spec);
    const a = s.step([0, 0], g1);
    return [a, s.step(a, g2)];
  };
  // sgd: w - lr g
  assert.deepEqual(steps({ optimizer: 'sgd', learningRate: 0.1 }), [[-0.2, 0.4], [-0.30000000000000004, 0.30000000000000004]]);
  // momentum 0.9: a1 = g1; a2 = 0.9 g1 + g2 = [2.8, -2.6]
  const m = steps({ optimizer: 'momentum', learningRate: 0.1 });
  close(m[1]![0], -0.2 - 0.28);
  close(m[1]![1], 0.4 + 0.26);
  // nesterov: w -= lr (g + 0.9 a): first step 0.1 * (2 + 1.8) = 0.38
  const n = steps({ optimizer: 'nesterov', learningRate: 0.1 });
  close(n[0]![0], -0.38);
  close(n[1]![0], -0.38 - 0.1 * (1 + 0.9 * 2.8));
  // adagrad: acc = 0.1 + 4 = 4.1; w = -0.1 * 2 / sqrt(4.1 + 1e-7)
  const ad = steps({ optimizer: 'adagrad', learningRate: 0.1 });
  close(ad[0]![0], (-0.1 * 2) / Math.sqrt(4.1 + 1e-7));
  close(ad[1]![0], ad[0]![0] - (0.1 * 1) / Math.sqrt(5.1 + 1e-7));
  // rmsprop: ms = 0.1 * 4 = 0.4; w = -0.1 * 2 / sqrt(0.4 + 1e-7)
  const rms = steps({ optimizer: 'rmsprop', learningRate: 0.1 });
  close(rms[0]![0], (-0.1 * 2) / Math.sqrt(0.4 + 1e-7));
  close(rms[1]![0], rms[0]![0] - (0.1 * 1) / Math.sqrt(0.9 * 0.4 + 0.1 + 1e-7));
  // adam: the first step is lr * sign(g) (bias-corrected m / sqrt(v) = g / |g|)
  const adam = steps({ optimizer: 'adam', learningRate: 0.1 });
  close(adam[0]![0], -0.1 * 2 / (2 + 1e-7));
  close(adam[0]![1], 0.1 * 4 / (4 + 1e-7));
  const mh = (0.9 * 0.1 * 2 + 0.1 * 1) / (1 - 0.81);
  const vh = (0.999 * 0.001 * 4 + 0.001 * 1) / (1 - 0.999 ** 2);
  close(adam[1]![0], adam[0]![0] - (0.1 * mh) / (Math.sqrt(vh) + 1e-7));
});

test('every optimizer follows tfjs\'s own for 30 steps on Rosenbrock (same formulas and defaults)', async () => {
  await tf.setBackend('cpu');
  const rosen = surface('rosenbrock');
  const specs: PathSpec[] = [
    { optimizer: 'sgd', learningRate: 0.001 },
    { optimizer: 'momentum', learningRate: 0.001 },
    { optimizer: 'nesterov', learningRate: 0.001 },
    { optimizer: 'adagrad', learningRate: 0.1 },
    { optimizer: 'rmsprop', learningRate: 0.01 },
    { optimizer: 'adam', learningRate: 0.05 },
  ];
  const tfjsFor = (p: PathSpec): tf.Optimizer => {
    switch (p.optimizer) {
      case 'sgd': return tf.train.sgd(p.learningRate);
      case 'momentum': return tf.train.momentum(p.learningRate, 0.9);
      case 'nesterov': return tf.train.momentum(p.learningRate, 0.9, true);
      case 'adagrad': return tf.train.adagrad(p.learningRate);
      case 'rmsprop': return tf.train.rmsprop(p.learningRate);
      case 'adam': return tf.train.adam(p.learningRate);
    }
  };
  assert.deepEqual(specs.map((s) => s.optimizer), [...OPTIMIZER_KINDS]);
  for (const spec of specs) {
    const ours = runPath(rosen, spec, [-1.2, 1], 30).points;
    const w = tf.variable(tf.tensor1d([-1.2, 1]), true, `w_${spec.optimizer}`);
    const opt = tfjsFor(spec);
    for (let k = 1; k <= 30; k++) {
      const [x, y] = w.dataSync() as unknown as number[];
      const g = rosen.gradient(x as number, y as number).grad;
      const grad = tf.tensor1d(g);
      opt.applyGradients({ [w.name]: grad });
      grad.dispose();
      const [tx, ty] = w.dataSync() as unknown as number[];
      const [ox, oy] = ours[k] as Vec2;
      // tfjs computes in float32: agree to float32 precision, along 30 steps.
      assert.ok(Math.abs((tx as number) - ox) < 2e-4 && Math.abs((ty as number) - oy) < 2e-4, `${spec.optimizer} step ${k}: tfjs (${tx}, ${ty}) vs ours (${ox}, ${oy})`);
    }
    opt.dispose();
    w.dispose();
  }
});

test('the course example: 0.01 is slow, 0.3 converges, 0.6 diverges, in 20 steps from (0, 0)', () => {
  const f = surface(SEED_CONFIG.surface);
  assert.equal(f.value(1, 1), 0);
  assert.deepEqual(f.gradient(1, 1).grad, [0, 0]);
  assert.deepEqual(SEED_CONFIG.start, [0, 0]);
  assert.equal(SEED_CONFIG.steps, 20);
  const [slow, good, wild] = runConfig(f, SEED_CONFIG);
  assert.deepEqual([slow, good, wild].map((p) => p?.spec.learningRate), [0.01, 0.3, 0.6]);
  for (const p of [slow, good, wild]) assert.equal(p?.points.length, 21);
  const start = f.value(0, 0);
  // 0.01: the loss has fallen by less than three quarters; still far from (1, 1).
  assert.equal(slow?.outcome, 'moving');
  assert.ok(slow!.losses[20]! > 0.25 * start && slow!.losses[20]! < start, `slow: ${slow!.losses[20]}`);
  assert.ok(Math.hypot(slow!.points[20]![0] - 1, slow!.points[20]![1] - 1) > 0.5);
  // 0.3: at the minimum.
  assert.equal(good?.outcome, 'converged');
  assert.ok(good!.losses[20]! < 1e-12);
  // 0.6: overshoots along y, further each step (sign flips, growing distance): the loss grows without bound.
  assert.equal(wild?.outcome, 'diverged');
  assert.ok(wild!.losses[20]! > 1e5);
  const dy = wild!.points.map(([, y]) => y - 1);
  for (let k = 1; k < dy.length; k++) {
    assert.ok(Math.sign(dy[k]!) === -Math.sign(dy[k - 1]!), `step ${k} should overshoot to the other side`);
    assert.ok(Math.abs(dy[k]!) > Math.abs(dy[k - 1]!));
  }
});

test('a path that blows up stops before Infinity and says when', () => {
  const p = runPath(surface('rosenbrock'), { optimizer: 'sgd', learningRate: 0.1 }, [-1.2, 1], 100);
  assert.equal(p.outcome, 'diverged');
  assert.ok(p.blewUpAt !== undefined && p.blewUpAt < 100);
  assert.equal(p.points.length, p.blewUpAt);
  assert.ok(p.points.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
});

test('a start where the surface is undefined counts as diverged, not as moving', () => {
  const p = runPath(surface('log(x)'), { optimizer: 'adam', learningRate: 0.1 }, [-1, 0], 10);
  assert.equal(p.outcome, 'diverged');
  assert.equal(p.points.length, 1);
});
