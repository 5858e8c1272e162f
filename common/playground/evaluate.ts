// Evaluation of a parsed expression: its value, and its exact gradient by forward-mode automatic
// differentiation (each value carries its partial derivatives along). The local derivative of
// each operation is written once, in localPartials, and shared with the reverse-mode graph of the
// chain-rule view (autodiff.ts), so both views compute the same numbers.
import type { BinaryOp, Expr, FunctionName } from './expression';

export type Operation = BinaryOp | 'neg' | FunctionName;

export function applyOp(op: Operation, a: number, b = 0): number {
  switch (op) {
    case '+': return a + b;
    case '-': return a - b;
    case '*': return a * b;
    case '/': return a / b;
    case '^': return Math.pow(a, b);
    case 'neg': return -a;
    case 'sin': return Math.sin(a);
    case 'cos': return Math.cos(a);
    case 'tan': return Math.tan(a);
    case 'tanh': return Math.tanh(a);
    case 'exp': return Math.exp(a);
    case 'log': return Math.log(a);
    case 'sqrt': return Math.sqrt(a);
    case 'abs': return Math.abs(a);
    case 'max': return Math.max(a, b);
    case 'min': return Math.min(a, b);
  }
}

/** d(out)/d(input i) of one operation, given its inputs and its output v. */
export function localPartials(op: Operation, a: number, b: number, v: number): [number, number] {
  switch (op) {
    case '+': return [1, 1];
    case '-': return [1, -1];
    case '*': return [b, a];
    case '/': return [1 / b, -a / (b * b)];
    // d/da a^b = b a^(b-1) (0 when b = 0, also at a = 0); d/db a^b = a^b ln a, taken as 0 where
    // ln a does not exist, so a constant exponent over a negative base does not poison the result.
    case '^': return [b === 0 ? 0 : b * Math.pow(a, b - 1), a > 0 ? v * Math.log(a) : 0];
    case 'neg': return [-1, 0];
    case 'sin': return [Math.cos(a), 0];
    case 'cos': return [-Math.sin(a), 0];
    case 'tan': return [1 + v * v, 0];
    case 'tanh': return [1 - v * v, 0];
    case 'exp': return [v, 0];
    case 'log': return [1 / a, 0];
    case 'sqrt': return [0.5 / v, 0];
    case 'abs': return [Math.sign(a), 0];
    // The max gate routes the whole gradient to the larger input (ties: the first).
    case 'max': return a >= b ? [1, 0] : [0, 1];
    case 'min': return a <= b ? [1, 0] : [0, 1];
  }
}

export function opOf(e: Expr): Operation | undefined {
  return e.kind === 'bin' ? e.op : e.kind === 'neg' ? 'neg' : e.kind === 'call' ? e.fn : undefined;
}

export function childrenOf(e: Expr): Expr[] {
  return e.kind === 'bin' ? [e.left, e.right] : e.kind === 'neg' ? [e.arg] : e.kind === 'call' ? e.args : [];
}

/** A compiled function of the variables' values (closures over the tree; no code generation). */
export function compileValue(expr: Expr, variables: readonly string[]): (values: readonly number[]) => number {
  if (expr.kind === 'num') {
    const c = expr.value;
    return () => c;
  }
  if (expr.kind === 'var') {
    const i = variables.indexOf(expr.name);
    return (vals) => vals[i] ?? NaN;
  }
  const op = opOf(expr) as Operation;
  const [first, second] = childrenOf(expr).map((c) => compileValue(c, variables));
  const fa = first as (v: readonly number[]) => number;
  if (!second) return (vals) => applyOp(op, fa(vals));
  return (vals) => applyOp(op, fa(vals), second(vals));
}

/** Value and gradient with respect to every variable, exact (forward mode). */
export function compileGradient(expr: Expr, variables: readonly string[]): (values: readonly number[]) => { value: number; grad: number[] } {
  const n = variables.length;
  const walk = (e: Expr): ((vals: readonly number[]) => number[]) => {
    // Each closure returns [value, d/dvar0, d/dvar1, ...].
    if (e.kind === 'num') {
      const c = [e.value, ...new Array<number>(n).fill(0)];
      return () => c;
    }
    if (e.kind === 'var') {
      const i = variables.indexOf(e.name);
      return (vals) => {
        const out = new Array<number>(n + 1).fill(0);
        out[0] = vals[i] ?? NaN;
        out[i + 1] = 1;
        return out;
      };
    }
    const op = opOf(e) as Operation;
    const kids = childrenOf(e).map(walk);
    return (vals) => {
      const a = (kids[0] as (v: readonly number[]) => number[])(vals);
      const b = kids[1]?.(vals);
      const av = a[0] as number;
      const bv = b ? (b[0] as number) : 0;
      const v = applyOp(op, av, bv);
      const [pa, pb] = localPartials(op, av, bv, v);
      const out = [v];
      for (let k = 1; k <= n; k++) {
        const da = a[k] as number;
        const db = b ? (b[k] as number) : 0;
        // Skip zero partials so 0 * Infinity never turns an unrelated direction into NaN.
        out.push((da === 0 ? 0 : pa * da) + (db === 0 ? 0 : pb * db));
      }
      return out;
    };
  };
  const f = walk(expr);
  return (vals) => {
    const r = f(vals);
    return { value: r[0] as number, grad: r.slice(1) };
  };
}
