// Numbers as a person reads them on a chart, and the small decisions of what a chart shows, kept
// free of chart.js and the DOM so they can be tested on their own.

/** A number in the shortest plain form: 0.07, 1500, 3e24, 2.5e-5 (never 0.070000 or 3E24). */
export function formatNumber(value: number, precision = 3): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-3) {
    const [mantissa, exponent] = value.toExponential(precision - 1).split('e') as [string, string];
    return `${trimZeros(mantissa)}e${exponent.replace('+', '')}`;
  }
  return trimZeros(value.toPrecision(precision).includes('e') ? String(Number(value.toPrecision(precision))) : value.toPrecision(precision));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}

/**
 * Labels for a linear axis's ticks: the fewest significant digits at which neighbouring ticks read
 * differently (3e24 and 3.2e24, not 3E24 twice).
 */
export function formatTicks(values: readonly number[]): string[] {
  for (let precision = 1; precision <= 8; precision++) {
    const labels = values.map((v) => formatNumber(v, precision));
    if (new Set(labels).size === labels.length) return labels;
  }
  return values.map((v) => String(v));
}

/**
 * Whether a tick of a log axis gets a label: on a wide axis only the powers of ten, on a narrow one
 * also 2 and 5 times them, so the labels are few and never collide.
 */
export function isLogTickLabelled(value: number, min: number, max: number): boolean {
  if (!(value > 0) || !(min > 0) || !(max > 0)) return false;
  // The mantissa compared exactly (up to rounding error): chart.js also places ticks such as 1.4e-4
  // or 0.11 at the ends of a range, which would read as collisions beside 1e-4 and 0.1.
  const mantissa = value / 10 ** Math.floor(Math.log10(value) + 1e-9);
  const is = (m: number): boolean => Math.abs(mantissa - m) < 1e-6 * m;
  const decades = Math.log10(max / min);
  return decades > 2.5 ? is(1) : is(1) || is(2) || is(5);
}

/** Whether the learning rate changes during a run (a schedule), so it is worth an axis and a line. */
export function rateVaries(rates: readonly number[]): boolean {
  const first = rates[0];
  if (first === undefined) return false;
  return rates.some((r) => Math.abs(r - first) > 1e-12 * Math.max(Math.abs(first), Math.abs(r)));
}

/** Whether a run has an accuracy to chart: a metric asked for, or a value already recorded. */
export function hasAccuracy(metrics: readonly string[], recorded: readonly { accuracy?: number; valAccuracy?: number }[]): boolean {
  return metrics.includes('accuracy') || recorded.some((e) => e.accuracy !== undefined || e.valAccuracy !== undefined);
}
