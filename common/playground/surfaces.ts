// The loss surfaces of the playground. Built-ins are formulas too (parsed by expression.ts), so the
// panel can show the formula of each and a typed formula behaves exactly like a built-in.
import type { ViewBox } from '../../protocol/playground';
import { parseExpression, type ExprError } from './expression';
import { compileGradient, compileValue } from './evaluate';

export interface BuiltinSurface {
  id: string;
  label: string;
  formula: string;
  view: ViewBox;
  start: [number, number];
  /** The problem of gradient descent it shows (CONCEPTS row 8). */
  note: string;
  minima: [number, number][];
}

export const BUILTIN_SURFACES: readonly BuiltinSurface[] = [
  { id: 'bowl', label: 'Quadratic bowl', formula: 'x^2 + y^2', view: { x: [-2, 2], y: [-2, 2] }, start: [-1.5, 1.5], note: 'Well conditioned: every optimizer heads straight down; the gradient shrinks near the minimum, so plain SGD slows down there.', minima: [[0, 0]] },
  { id: 'elongated', label: 'Elongated bowl', formula: 'x^2 + 20*y^2', view: { x: [-2, 2], y: [-1, 1] }, start: [-1.8, 0.6], note: 'Poor conditioning: steep across, flat along. A rate small enough for the steep direction crawls along the flat one; a larger one zigzags.', minima: [[0, 0]] },
  { id: 'rosenbrock', label: 'Rosenbrock', formula: '(1 - x)^2 + 100*(y - x^2)^2', view: { x: [-2, 2], y: [-1, 3] }, start: [-1.2, 1], note: 'A curved, flat-bottomed valley: finding it is easy, following it to (1, 1) is slow. Momentum and Adam get much further.', minima: [[1, 1]] },
  { id: 'saddle', label: 'Saddle', formula: 'x^2 + y^4/4 - y^2/2', view: { x: [-2, 2], y: [-2, 2] }, start: [-1.5, 0.001], note: 'Zero gradient at the saddle point (0, 0): gradient descent stalls there for many steps before it slides off to a minimum at (0, ±1).', minima: [[0, 1], [0, -1]] },
  { id: 'himmelblau', label: 'Himmelblau', formula: '(x^2 + y - 11)^2 + (x + y^2 - 7)^2', view: { x: [-5, 5], y: [-5, 5] }, start: [0, 0], note: 'Four minima of the same depth: which one an optimizer reaches depends on where it starts and on its rate.', minima: [[3, 2], [-2.805118, 3.131312], [-3.77931, -3.283186], [3.584428, -1.848126]] },
  { id: 'wells', label: 'Two valleys (a worse local minimum)', formula: 'x^4 - 2*x^2 + 0.5*x + y^2', view: { x: [-2, 2], y: [-2, 2] }, start: [1.8, 1.5], note: 'Two valleys of different depth: the global minimum at (-1.06, 0), value -1.51, and a worse local minimum at (0.93, 0), value -0.52, behind a ridge at x = 0.13. From this start plain gradient descent settles in the nearer, worse valley, where the gradient is zero too; with momentum an optimizer may carry over the ridge into the deeper one, depending on its settings.', minima: [[-1.057454, 0], [0.930403, 0]] },
  { id: 'beale', label: 'Beale', formula: '(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2', view: { x: [-4.5, 4.5], y: [-4.5, 4.5] }, start: [1, 1.5], note: 'Flat plateaus and steep walls: the gradient varies by orders of magnitude, which adaptive rates (Adagrad, RMSprop, Adam) handle better.', minima: [[3, 0.5]] },
];

export function builtinSurface(id: string): BuiltinSurface | undefined {
  return BUILTIN_SURFACES.find((s) => s.id === id);
}

/** A 2-D function ready to plot and descend. */
export interface Surface {
  formula: string;
  builtin?: BuiltinSurface;
  value(x: number, y: number): number;
  /** value and exact gradient */
  gradient(x: number, y: number): { value: number; grad: [number, number] };
}

export type SurfaceOutcome = { ok: true; surface: Surface } | { ok: false; error: ExprError; formula: string };

/** A built-in id, or else a formula in x and y. */
export function makeSurface(spec: string): SurfaceOutcome {
  const builtin = builtinSurface(spec.trim());
  const formula = builtin?.formula ?? spec;
  const parsed = parseExpression(formula, ['x', 'y']);
  if (!parsed.ok) return { ok: false, error: parsed.error, formula };
  const value = compileValue(parsed.expr, ['x', 'y']);
  const gradient = compileGradient(parsed.expr, ['x', 'y']);
  return {
    ok: true,
    surface: {
      formula,
      ...(builtin ? { builtin } : {}),
      value: (x, y) => value([x, y]),
      gradient: (x, y) => {
        const r = gradient([x, y]);
        return { value: r.value, grad: [r.grad[0] as number, r.grad[1] as number] };
      },
    },
  };
}
