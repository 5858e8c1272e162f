// Contour lines of a surface over a view box: the function sampled on a grid, levels spaced
// geometrically above the lowest sample (loss surfaces span orders of magnitude: Rosenbrock goes
// from 0 to thousands), and marching squares for the line segments of each level.
import type { ViewBox } from '../../protocol/playground';

export interface Grid {
  view: ViewBox;
  /** samples per side */
  n: number;
  /** values[j * n + i] at x = x0 + i dx, y = y0 + j dy */
  values: Float64Array;
  min: number;
  max: number;
}

export interface ContourLevel {
  level: number;
  /** [x1, y1, x2, y2, x1, y1, ...] in the surface's coordinates */
  segments: number[];
}

export function sampleGrid(f: (x: number, y: number) => number, view: ViewBox, n = 100): Grid {
  const values = new Float64Array(n * n);
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < n; j++) {
    const y = view.y[0] + ((view.y[1] - view.y[0]) * j) / (n - 1);
    for (let i = 0; i < n; i++) {
      const v = f(view.x[0] + ((view.x[1] - view.x[0]) * i) / (n - 1), y);
      values[j * n + i] = v;
      if (Number.isFinite(v)) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  return { view, n, values, min, max };
}

/** `count` levels from just above the minimum to the maximum, closer together near the bottom. */
export function contourLevels(grid: Grid, count = 14): number[] {
  const span = grid.max - grid.min;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const lo = span * 1e-3;
  return Array.from({ length: count }, (_, k) => grid.min + lo * Math.pow(span / lo, k / (count - 1)) * (k === count - 1 ? 0.98 : 1));
}

export function contours(grid: Grid, levels: number[]): ContourLevel[] {
  const { n, values, view } = grid;
  const dx = (view.x[1] - view.x[0]) / (n - 1);
  const dy = (view.y[1] - view.y[0]) / (n - 1);
  return levels.map((level) => {
    const segments: number[] = [];
    for (let j = 0; j < n - 1; j++) {
      for (let i = 0; i < n - 1; i++) {
        // Corners counter-clockwise from bottom-left; a side is crossed where its ends straddle the level.
        const c = [values[j * n + i], values[j * n + i + 1], values[(j + 1) * n + i + 1], values[(j + 1) * n + i]] as number[];
        if (!c.every(Number.isFinite)) continue;
        const corner = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]] as const;
        const crossings: number[] = [];
        for (let s = 0; s < 4; s++) {
          const a = c[s] as number;
          const b = c[(s + 1) % 4] as number;
          if ((a < level) === (b < level)) continue;
          const t = (level - a) / (b - a);
          const [ai, aj] = corner[s] as readonly [number, number];
          const [bi, bj] = corner[(s + 1) % 4] as readonly [number, number];
          crossings.push(view.x[0] + (ai + t * (bi - ai)) * dx, view.y[0] + (aj + t * (bj - aj)) * dy);
        }
        // Two crossings: one segment; four (a saddle cell): pair them in order around the cell.
        for (let k = 0; k + 3 < crossings.length; k += 4) segments.push(...crossings.slice(k, k + 4));
      }
    }
    return { level, segments };
  });
}
