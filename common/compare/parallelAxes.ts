// Axes of the parallel-coordinates view of a comparison (a sweep): one vertical axis per config key
// that differs, and a last one for the best value of the metric. Each run is a line through its
// values; every value is placed at 0..1 along its axis (log scale for positive numbers spanning
// more than 20x, evenly spaced categories for words). Pure, so the placement is unit-tested.

export interface Axis {
  name: string;
  scale: 'linear' | 'log' | 'category';
  /** Labels along the axis with their position 0 (bottom) .. 1 (top). */
  ticks: { label: string; at: number }[];
  /** Per run, its position on this axis (NaN: the run has no value). */
  at: number[];
}

export function parallelAxes(keys: string[], rows: string[][], metricName: string, best: (number | undefined)[]): Axis[] {
  const axes = keys.map((key, k) => axisFor(key, rows.map((r) => r[k] ?? '')));
  axes.push(axisFor(metricName, best.map((b) => (b === undefined ? '' : String(b)))));
  return axes;
}

function axisFor(name: string, values: string[]): Axis {
  const present = values.filter((v) => v !== '');
  const numeric = present.length > 0 && present.every((v) => Number.isFinite(Number(v)));
  if (!numeric) {
    const cats = [...new Set(present)].sort();
    const at = (v: string) => (cats.length <= 1 ? 0.5 : cats.indexOf(v) / (cats.length - 1));
    return { name, scale: 'category', ticks: cats.map((c) => ({ label: c, at: at(c) })), at: values.map((v) => (v === '' ? Number.NaN : at(v))) };
  }
  const nums = present.map(Number);
  const lo = Math.min(...nums);
  const hi = Math.max(...nums);
  const log = lo > 0 && hi / lo > 20;
  const f = (x: number) => (log ? Math.log(x) : x);
  const span = f(hi) - f(lo);
  const at = (x: number) => (span === 0 ? 0.5 : (f(x) - f(lo)) / span);
  const ticks = [...new Set(nums)].sort((a, b) => a - b);
  // Many distinct values (random sweeps): label the ends and the middle only.
  const shown = ticks.length <= 6 ? ticks : [lo, log ? Math.sqrt(lo * hi) : (lo + hi) / 2, hi];
  return { name, scale: log ? 'log' : 'linear', ticks: shown.map((t) => ({ label: String(Number(t.toPrecision(3))), at: at(t) })), at: values.map((v) => (v === '' ? Number.NaN : at(Number(v)))) };
}
