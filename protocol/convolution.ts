// Host <-> convolution explorer messages, and the guards both ends validate them with. The page
// computes the convolution itself (common/convolution.ts) as the user edits; the host sends what to
// start from (the course's example, or a trained model's kernel) and keeps the latest setup so a
// page that is shown again starts where the user left it.
import { arrayOf, isBoolean, isNumber, isObject, isString, shape } from './guards';

/** Grids up to this many rows and columns: an explorer, not a model. */
export const MAX_GRID = 16;

export interface ConvolutionSetup {
  /** What the grids are, e.g. "The course's example" or "digits-cnn · conv2d_1 · filter 3". */
  title: string;
  input: number[][];
  kernel: number[][];
  stride: number;
  padding: number;
  /** Max pooling of the output: 2x2 with stride 1, as in the course. */
  pool: boolean;
  poolSize: number;
  poolStride: number;
}

export type HostToConvolution = { type: 'show'; setup: ConvolutionSetup };

/** What the page keeps with setState, so a reloaded window shows the grids as the user left them. */
export interface ConvolutionPanelState {
  setup: ConvolutionSetup;
}
export type ConvolutionToHost = { type: 'ready' } | { type: 'changed'; setup: ConvolutionSetup };

const isCell = (v: unknown): v is number => isNumber(v) && Number.isFinite(v) && Math.abs(v) <= 1e6;
const isGrid = (v: unknown): v is number[][] => {
  if (!arrayOf(arrayOf(isCell, MAX_GRID), MAX_GRID)(v) || v.length === 0) return false;
  const width = v[0]?.length ?? 0;
  return width > 0 && v.every((row) => row.length === width);
};
const isSmallInt = (lo: number, hi: number) => (v: unknown): v is number => isNumber(v) && Number.isInteger(v) && v >= lo && v <= hi;

export const isConvolutionSetup = shape<ConvolutionSetup>({
  title: (v) => isString(v) && v.length <= 200, input: isGrid, kernel: isGrid, stride: isSmallInt(1, 8), padding: isSmallInt(0, 8),
  pool: isBoolean, poolSize: isSmallInt(1, 8), poolStride: isSmallInt(1, 8),
});

export function asHostToConvolution(v: unknown): HostToConvolution | undefined {
  return isObject(v) && v.type === 'show' && isConvolutionSetup(v.setup) ? { type: 'show', setup: v.setup } : undefined;
}

export function asConvolutionToHost(v: unknown): ConvolutionToHost | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'ready') return { type: 'ready' };
  if (v.type === 'changed' && isConvolutionSetup(v.setup)) return { type: 'changed', setup: v.setup };
  return undefined;
}
