// The compare panel's data preparation: for each run, the chosen metric as a line (smoothed on all
// points, then both lines thinned for drawing), its best value, and the table of config keys that
// differ. Pure and fast: bench/compare-open.ts measures it on 200 runs of 10k points.
import type { CompareMetric, CompareSeries, CompareView, ComparePoint } from '../../protocol/compare';
import { differingKeys } from './configDiff';
import type { CompareRun } from './readCompareRun';
import { decimateMinMax, smoothEma, type Columns } from '../../common/compare/smoothing';

export type { CompareRun } from './readCompareRun';

export const ALL_METRICS: CompareMetric[] = ['loss', 'batchLoss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate', 'samplesPerSec'];
/** Points per drawn line; 200 runs x 2 lines x this stays easy for chart.js. */
export const POINTS_PER_LINE = 400;

export const higherIsBetter = (m: CompareMetric): boolean => m === 'accuracy' || m === 'valAccuracy' || m === 'samplesPerSec';

/** The batch loss needs the run read with `{ batches: true }` (see readCompareRun). */
export function metricColumns(run: CompareRun, metric: CompareMetric): Columns {
  if (metric === 'batchLoss') return { xs: run.batchX, ys: run.batchLoss };
  const rows = run.epochs.filter((e) => e[metric] !== undefined);
  return { xs: Float64Array.from(rows, (e) => e.epoch), ys: Float64Array.from(rows, (e) => e[metric] as number) };
}

export function bestPoint({ xs, ys }: Columns, higher: boolean): ComparePoint | undefined {
  let best = -1;
  for (let i = 0; i < ys.length; i++) {
    const y = ys[i] as number;
    if (Number.isFinite(y) && (best < 0 || (higher ? y > (ys[best] as number) : y < (ys[best] as number)))) best = i;
  }
  return best < 0 ? undefined : { x: xs[best] as number, y: ys[best] as number };
}

export function prepareCompare(runs: CompareRun[], metric: CompareMetric, smoothing: number, missing: string[] = []): CompareView {
  const metrics = ALL_METRICS.filter((m) => runs.some((r) => hasMetric(r, m)));
  const higher = higherIsBetter(metric);
  const series: CompareSeries[] = runs.map((r) => {
    const cols = metricColumns(r, metric);
    const best = bestPoint(cols, higher);
    return {
      id: r.id, label: r.label,
      raw: decimateMinMax(cols, POINTS_PER_LINE),
      smooth: decimateMinMax(smoothEma(cols, smoothing), POINTS_PER_LINE),
      ...(best ? { best } : {}),
    };
  });
  const table = differingKeys(runs.map((r) => r.flatConfig));
  return {
    metric, metrics, smoothing, higherIsBetter: higher, series, missing,
    config: { keys: table.keys, rows: runs.map((r, i) => ({ id: r.id, label: r.label, values: table.rows[i] ?? [] })) },
  };
}

function hasMetric(run: CompareRun, m: CompareMetric): boolean {
  if (m === 'batchLoss') return run.hasBatches;
  return run.epochs.some((e) => e[m] !== undefined);
}
