// Surface files (*.surface.yaml) with their diagnostics, the shipped examples, the host<->panel
// message validators, the chain-rule view's reverse-mode autodiff and the contour tracer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSurfaceFile } from '../../model/surfaceFile';
import { runConfig } from '../../common/playground/paths';
import { makeSurface } from '../../common/playground/surfaces';
import { SEED_CONFIG } from '../../common/playground/seedExample';
import { parseExpression } from '../../common/playground/expression';
import { buildGraph, gateRule } from '../../common/playground/autodiff';
import { contourLevels, contours, sampleGrid } from '../../common/playground/contour';
import { asHostToPlayground, asPlaygroundState, asPlaygroundToHost } from '../../protocol/playground';
import { repo } from './helpers';

const dir = join(repo, 'examples', 'playground');

test('every shipped surface file parses clean, and seed.surface.yaml is the course example', () => {
  const files = readdirSync(dir).filter((f) => f.endsWith('.surface.yaml'));
  assert.deepEqual(files.sort(), ['elongated.surface.yaml', 'himmelblau.surface.yaml', 'rosenbrock.surface.yaml', 'saddle.surface.yaml', 'seed.surface.yaml']);
  for (const f of files) {
    const r = parseSurfaceFile(readFileSync(join(dir, f), 'utf8'));
    assert.deepEqual(r.diagnostics, [], f);
    assert.ok(r.config, f);
  }
  const seed = parseSurfaceFile(readFileSync(join(dir, 'seed.surface.yaml'), 'utf8')).config;
  assert.deepEqual({ ...seed, name: SEED_CONFIG.name }, SEED_CONFIG);
});

test('rosenbrock example: in 300 steps momentum gets closer to (1, 1) than SGD; Adam beats SGD too', () => {
  const config = parseSurfaceFile(readFileSync(join(dir, 'rosenbrock.surface.yaml'), 'utf8')).config;
  assert.ok(config);
  const s = makeSurface(config.surface);
  assert.ok(s.ok);
  const [sgd, momentum, adam] = runConfig(s.surface, config).map((p) => p.losses[p.losses.length - 1] as number);
  assert.ok(momentum! < 0.05 && sgd! > 1 && adam! < sgd!, `sgd ${sgd}, momentum ${momentum}, adam ${adam}`);
});

const diag = (text: string) => parseSurfaceFile(text).diagnostics.map((d) => ({ line: d.range.start.line, from: d.range.start.character, to: d.range.end.character, code: d.code, message: d.message }));

test('a bad formula is reported on the characters it is about, inside the YAML value', () => {
  const plain = diag('surface: x^2 + foo(y)\npaths: [{optimizer: sgd, learningRate: 0.1}]\n');
  assert.equal(plain.length, 1);
  assert.deepEqual({ ...plain[0], message: undefined }, { line: 0, from: 15, to: 18, code: 'bad-expression', message: undefined });
  assert.match(plain[0]!.message, /Unknown name 'foo'/);
  const quoted = diag('name: q\nsurface: "x^2 + (y"\npaths: [{optimizer: sgd, learningRate: 0.1}]\n');
  assert.equal(quoted[0]?.line, 1);
  assert.equal(quoted[0]?.from, 10 + 6); // after the opening quote, at the '('
  assert.match(quoted[0]!.message, /Missing '\)'/);
});

test('wrong keys and values get a message on their own line', () => {
  const text = [
    'surface: rosenbrok',
    'start: [0]',
    'steps: 0',
    'paths:',
    '  - {optimizer: adamw, learningRate: 0.1}',
    '  - {optimizer: sgd, learningRate: -1, momentum: 2}',
    '  - {optimizer: sgd, lr: 0.1}',
    'view: {x: [2, -2], y: [0, 1]}',
    'colour: red',
  ].join('\n');
  const d = diag(text);
  const on = (line: number) => d.filter((x) => x.line === line).map((x) => x.code);
  assert.deepEqual(on(0), ['bad-expression']); // not a built-in, and not a formula in x and y
  assert.deepEqual(on(1), ['wrong-type']);
  assert.deepEqual(on(2), ['out-of-range']);
  assert.deepEqual(on(4), ['unknown-value']);
  assert.match(d.find((x) => x.line === 4)!.message, /Did you mean 'adam'/);
  assert.deepEqual(on(5).sort(), ['out-of-range', 'out-of-range']);
  assert.deepEqual(on(6).sort(), ['missing-key', 'unknown-key']);
  assert.deepEqual(on(7), ['out-of-range']);
  assert.deepEqual(on(8), ['unknown-key']);
  assert.equal(parseSurfaceFile(text).config, undefined);
  assert.match(diag('')[0]!.message, /surface file is empty/);
  assert.equal(diag('surface: bowl\n')[0]?.code, 'missing-key');
});

test('a built-in surface without a start begins at its own start point', () => {
  const r = parseSurfaceFile('surface: himmelblau\npaths: [{optimizer: adam, learningRate: 0.1, beta1: 0.8}]\n');
  assert.deepEqual(r.config, { name: 'surface', surface: 'himmelblau', start: [0, 0], steps: 50, paths: [{ optimizer: 'adam', learningRate: 0.1, beta1: 0.8 }] });
});

test('messages are validated both ways: anything off-shape is dropped', () => {
  assert.deepEqual(asPlaygroundToHost({ type: 'ready' }), { type: 'ready' });
  assert.deepEqual(asPlaygroundToHost({ type: 'changed', config: SEED_CONFIG }), { type: 'changed', config: SEED_CONFIG });
  for (const bad of [
    null, 'ready', { type: 'run' }, { type: 'changed' },
    { type: 'changed', config: { ...SEED_CONFIG, steps: 1e9 } },
    { type: 'changed', config: { ...SEED_CONFIG, steps: 2.5 } },
    { type: 'changed', config: { ...SEED_CONFIG, paths: [] } },
    { type: 'changed', config: { ...SEED_CONFIG, paths: [{ optimizer: 'eval', learningRate: 1 }] } },
    { type: 'changed', config: { ...SEED_CONFIG, paths: [{ optimizer: 'sgd', learningRate: NaN }] } },
    { type: 'changed', config: { ...SEED_CONFIG, surface: 'x'.repeat(5000) } },
    { type: 'changed', config: { ...SEED_CONFIG, view: { x: [1, 0], y: [0, 1] } } },
  ]) assert.equal(asPlaygroundToHost(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
  assert.ok(asHostToPlayground({ type: 'load', config: SEED_CONFIG, problems: [] }));
  assert.equal(asHostToPlayground({ type: 'load', config: SEED_CONFIG }), undefined);
  assert.equal(asHostToPlayground({ type: 'load', config: { ...SEED_CONFIG, start: [0] }, problems: [] }), undefined);
  assert.deepEqual(asPlaygroundState({ file: '/w/a.surface.yaml', config: { bad: 1 } }), { file: '/w/a.surface.yaml' });
  assert.deepEqual(asPlaygroundState('junk'), {});
});

test('chain rule: the course example f = (x + y) z at (-2, 5, -4) gives -4, -4, 3', () => {
  const parsed = parseExpression('(x + y) * z', ['x', 'y', 'z']);
  assert.ok(parsed.ok);
  const g = buildGraph(parsed.expr, { x: -2, y: 5, z: -4 });
  const by = (name: string) => g.nodes.find((n) => n.name === name)!;
  assert.deepEqual(['x', 'y', 'z', 'q', 'f'].map((n) => [by(n).value, by(n).grad]), [[-2, -4], [5, -4], [-4, 3], [3, -4], [-12, 1]]);
  assert.match(gateRule(by('q'), g.nodes)!, /add gate distributes: both inputs get the gradient -4/);
  assert.match(gateRule(by('f'), g.nodes)!, /mul gate switches: .*1 × -4 to q, 1 × 3 to z/);
});

test('chain rule: max routes, a variable used twice sums its gradients', () => {
  const p = parseExpression('max(x, y) * z + x * x', ['x', 'y', 'z']);
  assert.ok(p.ok);
  const g = buildGraph(p.expr, { x: 2, y: 5, z: 3 });
  const by = (name: string) => g.nodes.find((n) => n.name === name)!;
  // d/dx = 0 (max routes to y) + 2x = 4; d/dy = z = 3; d/dz = max = 5
  assert.deepEqual(['x', 'y', 'z'].map((n) => by(n).grad), [4, 3, 5]);
  const max = g.nodes.find((n) => n.op === 'max')!;
  assert.match(gateRule(max, g.nodes)!, /max gate routes: the larger input \(5\)/);
  assert.deepEqual(g.edges.filter((e) => e.to === max.id).map((e) => e.grad), [0, 3]);
});

test('contours of the bowl are circles at the level\'s radius', () => {
  const grid = sampleGrid((x, y) => x * x + y * y, { x: [-2, 2], y: [-2, 2] }, 101);
  assert.equal(grid.min, 0);
  assert.equal(grid.max, 8);
  const levels = contourLevels(grid, 10);
  assert.equal(levels.length, 10);
  for (let i = 1; i < levels.length; i++) assert.ok(levels[i]! > levels[i - 1]!);
  const [one] = contours(grid, [1]);
  assert.ok(one!.segments.length > 100);
  for (let k = 0; k < one!.segments.length; k += 2) {
    const r = Math.hypot(one!.segments[k]!, one!.segments[k + 1]!);
    assert.ok(Math.abs(r - 1) < 0.01, `point at radius ${r}`);
  }
});
