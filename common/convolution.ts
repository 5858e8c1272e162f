// The arithmetic of one 2-D convolution (as deep learning computes it: the kernel slides over the
// input without flipping, a cross-correlation) and of max pooling, on small grids of numbers, with
// the window and the sum of products behind every output cell: what the convolution explorer shows.
// Browser-safe: the explorer's page computes with it as the user edits a cell.

export type Grid = number[][];

export interface ConvSettings {
  stride: number;
  /** Zero padding on every side. */
  padding: number;
}

/** Where an output cell comes from: the input cells under the kernel and their products. */
export interface CellWindow {
  /** [row, column] of each input cell under the kernel, in the padded grid's coordinates minus the padding (may be outside: a zero). */
  cells: [number, number][];
  terms: { input: number; weight: number }[];
  value: number;
}

export const COURSE_IMAGE: Grid = [
  [1, 1, 1, 0, 0],
  [0, 1, 1, 1, 0],
  [0, 0, 1, 1, 1],
  [0, 0, 1, 1, 0],
  [0, 1, 1, 0, 0],
];
export const COURSE_KERNEL: Grid = [
  [1, 0, 1],
  [0, 1, 0],
  [1, 0, 1],
];

/** What the explorer opens with: the course's example, and its 2x2 max pooling with stride 1. */
export const COURSE_SETUP = {
  title: "The course's example: a 5x5 image and a 3x3 kernel", input: COURSE_IMAGE, kernel: COURSE_KERNEL,
  stride: 1, padding: 0, pool: true, poolSize: 2, poolStride: 1,
} as const;

/** A fresh, editable copy of COURSE_SETUP (its grids are shared constants). */
export function courseSetup() {
  return { ...COURSE_SETUP, input: COURSE_SETUP.input.map((r) => [...r]), kernel: COURSE_SETUP.kernel.map((r) => [...r]) };
}

const at = (g: Grid, r: number, c: number): number => g[r]?.[c] ?? 0;

/** Output size along one side: floor((n + 2p - k) / s) + 1, at least 0. */
export function outputSize(n: number, k: number, s: number, p: number): number {
  return Math.max(0, Math.floor((n + 2 * p - k) / s) + 1);
}

/** The window of output cell (r, c). */
export function convWindow(input: Grid, kernel: Grid, { stride, padding }: ConvSettings, r: number, c: number): CellWindow {
  const cells: [number, number][] = [];
  const terms: { input: number; weight: number }[] = [];
  let value = 0;
  kernel.forEach((row, i) => row.forEach((weight, j) => {
    const y = r * stride + i - padding;
    const x = c * stride + j - padding;
    const v = at(input, y, x);
    cells.push([y, x]);
    terms.push({ input: v, weight });
    value += v * weight;
  }));
  return { cells, terms, value };
}

export function convolve(input: Grid, kernel: Grid, settings: ConvSettings): Grid {
  const rows = outputSize(input.length, kernel.length, settings.stride, settings.padding);
  const cols = outputSize(input[0]?.length ?? 0, kernel[0]?.length ?? 0, settings.stride, settings.padding);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => convWindow(input, kernel, settings, r, c).value));
}

/** The window of max pooling's output cell (r, c): the cells it takes the largest of. */
export function poolWindow(input: Grid, size: number, stride: number, r: number, c: number): { cells: [number, number][]; value: number } {
  const cells: [number, number][] = [];
  let value = -Infinity;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const y = r * stride + i;
      const x = c * stride + j;
      cells.push([y, x]);
      value = Math.max(value, at(input, y, x));
    }
  }
  return { cells, value };
}

export function maxPool(input: Grid, size: number, stride: number): Grid {
  const rows = outputSize(input.length, size, stride, 0);
  const cols = outputSize(input[0]?.length ?? 0, size, stride, 0);
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => poolWindow(input, size, stride, r, c).value));
}

/** "1×1 + 1×0 + … = 4": the sum of products as the explorer writes it. */
export function sumOfProducts(w: CellWindow): string {
  const num = (v: number): string => String(Number(v.toPrecision(4)));
  return `${w.terms.map((t) => `${num(t.input)}×${num(t.weight)}`).join(' + ')} = ${num(w.value)}`;
}
