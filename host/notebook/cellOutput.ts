// What a notebook cell shows for its run, as plain data and text: the curves (for the renderer),
// the model's layer table and diagnostics, and one final metrics line. Built the same way live and
// when a re-opened notebook reads the run back from its record.
import type { CurvesOutput } from '../../protocol/notebook';
import type { BatchPoint, RunSnapshot } from '../../protocol/run';
import type { ModelSummary } from '../../model/analysis/shapes';
import { formatSummaryTable } from '../../model/analysis/summaryTable';
import type { SpecDiagnostic } from '../../model/language/diagnostic';

export const CURVES_MIME = 'application/vnd.modellab.curves+json';
/** Per-batch points kept for the faint batch-loss line; the per-epoch lines are never thinned. */
export const MAX_BATCH_POINTS = 600;

export function curvesOutput(run: RunSnapshot, maxBatchPoints = MAX_BATCH_POINTS): CurvesOutput {
  return { name: run.info.name, status: run.status, totalEpochs: run.info.epochs, epochs: run.epochs, batches: thin(run.batches, maxBatchPoints) };
}

/** Every k-th point and always the last, so the line ends where training is. */
export function thin(points: BatchPoint[], max: number): BatchPoint[] {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max);
  const out = points.filter((_, i) => i % stride === 0);
  const last = points[points.length - 1] as BatchPoint;
  if (out[out.length - 1] !== last) out.push(last);
  return out;
}

/** The layer table and the model file's warnings, as the cell's text output. */
export function modelReport(name: string, summary: ModelSummary | undefined, diagnostics: SpecDiagnostic[], patched: boolean): string {
  const lines: string[] = [];
  if (summary) lines.push(formatSummaryTable(name, summary));
  for (const d of diagnostics) {
    const where = patched ? '' : `line ${d.range.start.line + 1}: `;
    lines.push(wrapText(`${d.severity}: ${where}${d.message} [${d.code}]`, OUTPUT_COLUMNS, '  '));
  }
  return lines.join('\n');
}

/** Notebook text outputs do not wrap (notebook.output.wordWrap is off by default): a long warning
 *  was cut at the cell's right edge. Messages are wrapped at word boundaries instead. */
export const OUTPUT_COLUMNS = 100;

export function wrapText(text: string, columns: number, indent = ''): string {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && next.length > columns) {
      out.push(line);
      line = indent + word;
    } else line = next;
  }
  if (line) out.push(line);
  return out.join('\n');
}

/** "completed · 60/60 epochs · loss 0.0213 · val loss 0.0250 · val accuracy 1.000 · 3.1 s · run 20261126-…" */
export function finalMetricsLine(run: RunSnapshot): string {
  const last = run.epochs[run.epochs.length - 1];
  const parts: string[] = [run.status, `${last?.epoch ?? 0}/${run.info.epochs} epochs`];
  if (last) {
    parts.push(`loss ${fmt(last.loss)}`);
    if (last.accuracy !== undefined) parts.push(`accuracy ${last.accuracy.toFixed(3)}`);
    if (last.valLoss !== undefined) parts.push(`val loss ${fmt(last.valLoss)}`);
    if (last.valAccuracy !== undefined) parts.push(`val accuracy ${last.valAccuracy.toFixed(3)}`);
  }
  const ms = run.summary?.durationMs ?? last?.elapsedMs;
  if (ms !== undefined) parts.push(`${(ms / 1000).toFixed(1)} s`);
  if (run.runDir) parts.push(`run ${run.runDir.split(/[\\/]/).pop() ?? ''}`);
  const line = parts.join(' · ');
  return run.summary?.error ? `${line}\n${run.summary.error}` : line;
}

const fmt = (v: number): string => (Number.isFinite(v) ? v.toPrecision(4) : String(v));
