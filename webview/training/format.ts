// Number formatting for the panel header.

export function formatRate(samplesPerSec: number): string {
  if (samplesPerSec >= 1e6) return `${(samplesPerSec / 1e6).toFixed(1)}M/s`;
  if (samplesPerSec >= 1e3) return `${(samplesPerSec / 1e3).toFixed(1)}k/s`;
  return `${samplesPerSec.toFixed(0)}/s`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 100) / 10;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - 60 * m)} s`;
}
