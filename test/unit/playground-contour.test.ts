import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contourLevels, contours, sampleGrid } from '../../common/playground/contour';

const rosenbrock = (x: number, y: number): number => (1 - x) ** 2 + 100 * (y - x * x) ** 2;

/** Pieces of a level's contour: segments joined where they share an end. */
function pieces(segments: number[]): number {
  const key = (x: number, y: number): string => `${x.toFixed(7)},${y.toFixed(7)}`;
  const parent = new Map<string, string>();
  const find = (a: string): string => {
    while (parent.get(a) !== a) a = parent.get(a) as string;
    return a;
  };
  for (let k = 0; k < segments.length; k += 4) {
    const a = key(segments[k] as number, segments[k + 1] as number);
    const b = key(segments[k + 2] as number, segments[k + 3] as number);
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    parent.set(find(a), find(b));
  }
  return new Set([...parent.keys()].map(find)).size;
}

test('Rosenbrock at the plot grid: the valley contours do not break into islands at the top left', () => {
  const grid = sampleGrid(rosenbrock, { x: [-2, 2], y: [-1, 3] }, 240);
  const level = contours(grid, contourLevels(grid)).find((l) => l.level > 7 && l.level < 8);
  assert.ok(level, 'a level near 7.3');
  // One tube along the valley plus the arm leaving the top: two pieces, no broken tip.
  assert.equal(pieces(level.segments), 2);
});
