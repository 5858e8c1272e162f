// The playground's formula parser: what it accepts, where its errors point, that it evaluates
// formulas (and their exact gradients) without ever running text as code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseExpression, MAX_EXPRESSION_LENGTH } from '../../common/playground/expression';
import { compileGradient, compileValue } from '../../common/playground/evaluate';

const XY = ['x', 'y'];
function valueAt(text: string, x: number, y: number): number {
  const r = parseExpression(text, XY);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error.message}`);
  return compileValue(r.expr, XY)([x, y]);
}
function errorOf(text: string): { message: string; start: number; end: number } {
  const r = parseExpression(text, XY);
  assert.ok(!r.ok, `${text} should not parse`);
  return r.error;
}

test('precedence, associativity and unary minus follow mathematics', () => {
  assert.equal(valueAt('x^2 + 10*y^2', 3, 2), 49);
  assert.equal(valueAt('2^3^2', 0, 0), 512); // right-associative
  assert.equal(valueAt('-x^2', 3, 0), -9); // -(x^2)
  assert.equal(valueAt('2*-x', 3, 0), -6);
  assert.equal(valueAt('x**2', 4, 0), 16); // ** is accepted as ^
  assert.equal(valueAt('8/4/2', 0, 0), 1); // left-associative
  assert.equal(valueAt('(x + y) * (x - y)', 5, 3), 16);
  assert.equal(valueAt('1.5e2 + .5', 0, 0), 150.5);
});

test('functions and constants', () => {
  assert.ok(Math.abs(valueAt('sin(pi/2) + cos(0) + exp(0) + log(e) + sqrt(16) + abs(-3)', 0, 0) - 11) < 1e-12);
  assert.equal(valueAt('max(x, y) - min(x, y)', 2, 7), 5);
  assert.equal(valueAt('tanh(0) + tan(0)', 0, 0), 0);
});

test('errors say what is wrong and point at the characters', () => {
  assert.deepEqual(errorOf('x^2 +'), { message: 'The expression ends too early: a number, variable or ( is missing.', start: 5, end: 5 });
  const unmatched = errorOf('2*(x + 1');
  assert.equal(unmatched.start, 2);
  assert.match(unmatched.message, /Missing '\)'/);
  const unknown = errorOf('x^2 + foo(y)');
  assert.deepEqual([unknown.start, unknown.end], [6, 9]);
  assert.match(unknown.message, /Unknown name 'foo'/);
  assert.deepEqual([errorOf('x $ y').start, errorOf('x $ y').end], [2, 3]);
  assert.match(errorOf('sin x').message, /sin\(\.\.\.\)/);
  assert.match(errorOf('max(x)').message, /max takes 2 arguments, not 1/);
  assert.deepEqual([errorOf('3 4').start, errorOf('3 4').end], [2, 3]);
  assert.match(errorOf('x + z').message, /Unknown name 'z'/); // z is not a variable of a surface
  assert.match(errorOf('').message, /empty/);
  assert.match(errorOf('x'.repeat(MAX_EXPRESSION_LENGTH + 1)).message, /longer than/);
  assert.match(errorOf('('.repeat(100) + 'x' + ')'.repeat(100)).message, /Nested more than/);
});

test('no code execution: JavaScript in a formula is a parse error, never run', () => {
  const g = globalThis as { pwned?: boolean };
  for (const text of ['globalThis.pwned = true', 'constructor.constructor("globalThis.pwned=1")()', 'x; process.exit(1)', '`${x}`', 'x[0]', 'this', '__proto__', 'x => x', 'toString(x)', 'hasOwnProperty(x)']) {
    const r = parseExpression(text, XY);
    assert.ok(!r.ok, `${text} must not parse`);
  }
  assert.equal(g.pwned, undefined);
});

test('exact gradients match central differences, including through max, abs and powers', () => {
  const formulas = ['x^2 + 10*y^2', 'sin(x) * exp(y) / (1 + x^2)', 'sqrt(x^2 + y^2 + 1) + log(2 + cos(x*y))', 'max(x, y) * abs(y - 2) + x^y', 'tanh(x - y)^3 - 2^x'];
  for (const f of formulas) {
    const r = parseExpression(f, XY);
    assert.ok(r.ok, f);
    const value = compileValue(r.expr, XY);
    const grad = compileGradient(r.expr, XY);
    for (const [x, y] of [[0.7, 1.3], [1.9, 0.4], [1.2, 2.6]] as const) {
      const h = 1e-6;
      const numeric = [(value([x + h, y]) - value([x - h, y])) / (2 * h), (value([x, y + h]) - value([x, y - h])) / (2 * h)];
      const exact = grad([x, y]);
      assert.ok(Math.abs(exact.value - value([x, y])) < 1e-12);
      exact.grad.forEach((g, i) => assert.ok(Math.abs(g - (numeric[i] as number)) < 1e-5 * Math.max(1, Math.abs(g)), `${f} at (${x}, ${y}): d${i} ${g} vs ${numeric[i]}`));
    }
  }
});

test('a constant exponent of a negative base keeps a finite gradient', () => {
  const r = parseExpression('(x - 1)^2 + 2*(y - 1)^2', XY);
  assert.ok(r.ok);
  assert.deepEqual(compileGradient(r.expr, XY)([0, 0]), { value: 3, grad: [-2, -4] });
});
