// Export of the compared runs' metrics: CSV in long form (one row per run and epoch, one column per
// metric; spreadsheets and pandas read it directly) or JSON with each run's config and full history.
import type { CompareRun } from './prepare';

const EPOCH_COLUMNS = ['loss', 'accuracy', 'valLoss', 'valAccuracy', 'learningRate', 'samplesPerSec', 'elapsedMs'] as const;

export function metricsCsv(runs: CompareRun[]): string {
  const lines = [['run', 'name', 'epoch', ...EPOCH_COLUMNS].join(',')];
  for (const r of runs) {
    const run = csvCell(r.id.split(/[\\/]/).pop() ?? r.id);
    const name = csvCell(r.label);
    for (const e of r.epochs) lines.push([run, name, String(e.epoch), ...EPOCH_COLUMNS.map((c) => (e[c] === undefined ? '' : String(e[c])))].join(','));
  }
  return lines.join('\n') + '\n';
}

export function metricsJson(runs: CompareRun[]): string {
  return JSON.stringify(runs.map((r) => ({
    run: r.id, name: r.label, info: r.info, status: r.status, summary: r.summary, config: r.config, epochs: r.epochs,
    batches: { x: Array.from(r.batchX), loss: Array.from(r.batchLoss, (v) => (Number.isFinite(v) ? v : null)) },
  })), null, 1) + '\n';
}

/** Quotes a cell when it holds a comma, quote or line break (RFC 4180), and defuses formula prefixes. */
export function csvCell(s: string): string {
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
