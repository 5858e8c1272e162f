// Runs the optimizers of a playground config over its surface: one path per optimizer, each the
// list of points from the start, with the loss at each, stopped early where the numbers blow up.
import type { PathSpec, PlaygroundConfig, ViewBox } from '../../protocol/playground';
import { makeStepper, type Vec2 } from './optimizers';
import type { Surface } from './surfaces';

/** Beyond this a path has left any plot; stopping keeps Infinity and NaN out of the drawing. */
const BLOW_UP = 1e100;
/** A gradient this small (with a loss no longer falling) counts as having arrived. */
const CONVERGED_GRADIENT = 1e-3;

export type PathOutcome = 'converged' | 'diverged' | 'moving';

export interface OptimizerPath {
  spec: PathSpec;
  /** points[0] is the start; points[k] is after step k. */
  points: Vec2[];
  losses: number[];
  /** The step whose update blew up (non-finite or beyond 1e100); the path ends before it. */
  blewUpAt?: number;
  outcome: PathOutcome;
}

export function runPath(surface: Surface, spec: PathSpec, start: Vec2, steps: number): OptimizerPath {
  const stepper = makeStepper(spec);
  let w: Vec2 = [start[0], start[1]];
  let { value, grad } = surface.gradient(w[0], w[1]);
  const points: Vec2[] = [w];
  const losses = [value];
  let blewUpAt: number | undefined;
  for (let k = 1; k <= steps; k++) {
    const next = stepper.step(w, grad);
    const g = surface.gradient(next[0], next[1]);
    if (![...next, g.value, ...g.grad].every((v) => Number.isFinite(v) && Math.abs(v) < BLOW_UP)) {
      blewUpAt = k;
      break;
    }
    w = next;
    ({ value, grad } = g);
    points.push(w);
    losses.push(value);
  }
  return { spec, points, losses, ...(blewUpAt !== undefined ? { blewUpAt } : {}), outcome: outcomeOf(losses, grad, blewUpAt) };
}

function outcomeOf(losses: number[], grad: Vec2, blewUpAt: number | undefined): PathOutcome {
  const first = losses[0] as number;
  const last = losses[losses.length - 1] as number;
  if (blewUpAt !== undefined || !Number.isFinite(first) || last > first) return 'diverged';
  return Math.hypot(grad[0], grad[1]) < CONVERGED_GRADIENT ? 'converged' : 'moving';
}

export function runConfig(surface: Surface, config: PlaygroundConfig): OptimizerPath[] {
  return config.paths.map((p) => runPath(surface, p, config.start, config.steps));
}

/** The region to plot: the file's, else the built-in's, else around the start and where the paths end. */
export function viewFor(config: PlaygroundConfig, surface: Surface, paths: OptimizerPath[]): ViewBox {
  if (config.view) return config.view;
  if (surface.builtin) return surface.builtin.view;
  const xs = [config.start[0]];
  const ys = [config.start[1]];
  for (const p of paths) {
    if (p.outcome === 'diverged') continue;
    const end = p.points[p.points.length - 1] as Vec2;
    xs.push(end[0]);
    ys.push(end[1]);
  }
  const around = (vs: number[]): [number, number] => {
    const lo = Math.min(...vs);
    const hi = Math.max(...vs);
    const pad = Math.max((hi - lo) * 0.3, 1);
    return [lo - pad, hi + pad];
  };
  return { x: around(xs), y: around(ys) };
}
