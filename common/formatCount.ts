// Counts (parameters, operations) written in the unit that fits them, so a small model reads
// "4.8k" rather than "0.0 M" and a large one "86.70M" rather than eight digits.
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}
