// The Keras-style layer table as text (the notebook's cell output; the CLI prints the same columns).
import type { ModelSummary } from './shapes';

export function formatSummaryTable(name: string, summary: ModelSummary): string {
  const input = summary.layers[0]?.inputShape ?? [];
  const n = (v: number) => v.toLocaleString('en-US');
  const rows = [
    ['Layer (id)', 'Type', 'Output shape', 'Params', 'MACs'],
    ['input', 'input', shape(input), '0', '0'],
    ...summary.layers.map((l) => [l.id, l.kind, shape(l.outputShape), n(l.params), n(l.macs)]),
  ];
  const widths = (rows[0] as string[]).map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c >= 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('   ').trimEnd();
  const rule = '─'.repeat(line(rows[0] as string[]).length);
  const t = summary.totals;
  return [
    `Model: ${name}`, rule, line(rows[0] as string[]), rule, ...rows.slice(1).map(line), rule,
    `Total params: ${n(t.params)} (trainable ${n(t.trainableParams)}) · MACs per example: ${n(t.macs)}`,
  ].join('\n');
}

const shape = (s: number[]): string => `[${['batch', ...s].join(', ')}]`;
