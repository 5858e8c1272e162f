// The compare panel's data preparation: for each run, the chosen metric as a line (smoothed on all
// points, then both lines thinned for drawing), its best value, and the table of config keys that
// differ. Pure and fast: bench/compare-open.ts measures it on 200 runs of 10k points.
import type { CompareMetric, CompareSeries, CompareView, ComparePoint } from '../../protocol/compare';
import { differingKeys, type ConfigTable } from './configDiff';
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
  const table = differingKeys(runs.map((r) => r.flatConfig));
  const labels = distinctLabels(runs, table);
  const series: CompareSeries[] = runs.map((r, i) => {
    const cols = metricColumns(r, metric);
    const best = bestPoint(cols, higher);
    return {
      id: r.id, label: labels[i] ?? r.label,
      raw: decimateMinMax(cols, POINTS_PER_LINE),
      smooth: decimateMinMax(smoothEma(cols, smoothing), POINTS_PER_LINE),
      ...(best ? { best } : {}),
    };
  });
  return {
    metric, metrics, smoothing, higherIsBetter: higher, series, missing,
    config: { keys: table.keys, rows: runs.map((r, i) => ({ id: r.id, label: labels[i] ?? r.label, values: table.rows[i] ?? [] })) },
  };
}

function hasMetric(run: CompareRun, m: CompareMetric): boolean {
  if (m === 'batchLoss') return run.hasBatches;
  return run.epochs.some((e) => e[m] !== undefined);
}

/**
 * Runs of one file all carry its name ("xor, xor, xor", told apart only by colour): a label shared
 * by several runs gets what differs in their files (up to two keys, "xor · learningRate 0.3"), or,
 * for identical files, the time each started.
 */
export function distinctLabels(runs: Pick<CompareRun, 'label' | 'info'>[], table: ConfigTable): string[] {
  const count = new Map<string, number>();
  for (const r of runs) count.set(r.label, (count.get(r.label) ?? 0) + 1);
  return runs.map((r, i) => {
    if ((count.get(r.label) ?? 0) < 2) return r.label;
    const same = runs.map((o, j) => (o.label === r.label ? j : -1)).filter((j) => j >= 0);
    // The keys that differ among the runs sharing this label (not just among all runs).
    const keys = table.keys.map((k, col) => ({ k, col })).filter(({ col }) => new Set(same.map((j) => table.rows[j]?.[col])).size > 1);
    const what = keys.slice(0, 2).map(({ k, col }) => `${k.split('.').pop()} ${table.rows[i]?.[col] || '–'}`);
    if (what.length) return `${r.label} · ${what.join(' · ')}`;
    const started = r.info.startedAt.match(/T(\d{2}:\d{2}:\d{2})/)?.[1];
    return started ? `${r.label} · ${started}` : `${r.label} · ${i + 1}`;
  });
}
