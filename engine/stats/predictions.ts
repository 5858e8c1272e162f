// What the model predicts, for the predictions panel: the decision boundary over a grid for 2-D
// inputs (like TensorFlow Playground), the prediction curve for 1-D regression, and the confusion
// matrix for classification. Small by construction: a 40x40 grid, 100 curve points, k x k counts.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PredictionStats } from '../../protocol/stats';
import type { ModelSpec } from '../../model/language/model';
import type { TensorPair } from '../train/tensors';
import { round4 } from './summarize';

const GRID = 40;
const CURVE = 100;
const POINTS = 200;
const CHUNK = 1024;

/** Classifiers get a confusion matrix (on the validation set, else the probe batch). */
export const wantsConfusion = (spec: ModelSpec): boolean => spec.train.loss !== 'meanSquaredError';

/**
 * `confusion`: the matrix already counted from the training loop's own validation pass at these
 * weights (ConfusionCounter through the loop's validation tap), so the validation set is not run
 * through the model a second time; without it, it is counted here.
 */
export function collectPredictions(spec: ModelSpec, model: tfl.LayersModel, probe: TensorPair, val?: TensorPair, counted?: number[][]): PredictionStats | undefined {
  const input = spec.model.input;
  const flat = input.length === 1 ? input[0] : undefined;
  const classify = wantsConfusion(spec);
  const out: PredictionStats = {};
  const data = val && val.n > 0 ? val : probe;
  if (flat === 2 || flat === 1) {
    const xs = Array.from(data.x.dataSync()).slice(0, POINTS * flat);
    const ys = Array.from(data.y.dataSync());
    const width = ys.length / data.n;
    const n = Math.min(POINTS, data.n);
    const points: number[][] = [];
    const label: number[] = [];
    for (let i = 0; i < n; i++) {
      points.push(xs.slice(i * flat, (i + 1) * flat).map(round4));
      label.push(width > 1 ? argmax(ys.slice(i * width, (i + 1) * width)) : round4(ys[i] as number));
    }
    out.points = { x: points, label };
    if (flat === 2) out.grid = grid(model, points);
    else if (!classify) out.curve = curve(model, points);
  }
  if (classify) out.confusion = counted ?? confusion(model, data);
  return out.points || out.confusion ? out : undefined;
}

function grid(model: tfl.LayersModel, points: number[][]): NonNullable<PredictionStats['grid']> {
  const [x0, x1] = padRange(points.map((p) => p[0] as number));
  const [y0, y1] = padRange(points.map((p) => p[1] as number));
  const cells = new Float32Array(GRID * GRID * 2);
  for (let r = 0; r < GRID; r++) {
    for (let c = 0; c < GRID; c++) {
      cells[(r * GRID + c) * 2] = x0 + ((c + 0.5) / GRID) * (x1 - x0);
      cells[(r * GRID + c) * 2 + 1] = y0 + ((r + 0.5) / GRID) * (y1 - y0);
    }
  }
  const p = tf.tidy(() => (model.apply(tf.tensor2d(cells, [GRID * GRID, 2]), { training: false }) as tf.Tensor));
  const classes = p.shape[1] ?? 1;
  const values = p.dataSync();
  p.dispose();
  // One output unit: the probability of class 1. Several: the winning class plus its probability
  // as the fraction (class 2 at 0.8 -> 2.8), one number per cell.
  const cellValues: number[] = [];
  for (let i = 0; i < GRID * GRID; i++) {
    if (classes === 1) cellValues.push(round4(values[i] as number));
    else {
      const row = Array.from(values.subarray(i * classes, (i + 1) * classes));
      const k = argmax(row);
      cellValues.push(k + Math.min(0.999, round4(row[k] as number)));
    }
  }
  return { x0: round4(x0), x1: round4(x1), y0: round4(y0), y1: round4(y1), n: GRID, classes, values: cellValues };
}

function curve(model: tfl.LayersModel, points: number[][]): NonNullable<PredictionStats['curve']> {
  const [lo, hi] = padRange(points.map((p) => p[0] as number));
  const x = Array.from({ length: CURVE }, (_, i) => lo + (i / (CURVE - 1)) * (hi - lo));
  const y = tf.tidy(() => (model.apply(tf.tensor2d(x, [CURVE, 1]), { training: false }) as tf.Tensor).dataSync());
  return { x: x.map(round4), y: Array.from(y, round4) };
}

function confusion(model: tfl.LayersModel, data: TensorPair): number[][] {
  const counter = new ConfusionCounter(data.y.shape[1] ?? 1);
  for (let start = 0; start < data.n; start += CHUNK) {
    const size = Math.min(CHUNK, data.n - start);
    tf.tidy(() => counter.add(tf.slice(data.y, start, size), model.apply(tf.slice(data.x, start, size), { training: false }) as tf.Tensor));
  }
  return counter.matrix;
}

/** Counts (true class, predicted class) pairs chunk by chunk: one output unit is a 0.5 threshold. */
export class ConfusionCounter {
  readonly matrix: number[][];
  /** Examples counted so far. */
  rows = 0;

  constructor(private readonly units: number) {
    const k = units === 1 ? 2 : units;
    this.matrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  }

  /** Targets and predictions of one chunk (call inside a tidy: the class tensors are left to it). */
  add(y: tf.Tensor, p: tf.Tensor): void {
    const [t, q] = this.units === 1
      ? [tf.cast(tf.greater(y, 0.5), 'int32').dataSync(), tf.cast(tf.greater(p, 0.5), 'int32').dataSync()]
      : [tf.argMax(y, -1).dataSync(), tf.argMax(p, -1).dataSync()];
    this.rows += t.length;
    for (let i = 0; i < t.length; i++) {
      const row = this.matrix[t[i] as number];
      if (row) row[q[i] as number] = (row[q[i] as number] ?? 0) + 1;
    }
  }
}

function padRange(v: number[]): [number, number] {
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [-1, 1];
  if (hi - lo < 1e-6) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.1;
  return [lo - pad, hi + pad];
}

function argmax(row: number[]): number {
  let k = 0;
  for (let i = 1; i < row.length; i++) if ((row[i] as number) > (row[k] as number)) k = i;
  return k;
}
