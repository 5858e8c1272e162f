// `model-lab summary`: the layer table, Keras style, with multiply-accumulates, receptive fields and
// the conv / dense shares of parameters and operations (the columns of the course's CNN table).
import type { ModelSummary } from '../model/analysis/shapes';
import { formatCount } from '../common/formatCount';

export function printSummary(name: string, input: number[], summary: ModelSummary, json: boolean): void {
  if (json) {
    const layers = summary.layers.map((l) => ({
      id: l.id, type: l.kind, outputShape: l.outputShape, params: l.params, macs: l.macs, biasAdds: l.biasAdds, otherOps: l.otherOps,
      ...(l.receptiveField !== undefined ? { receptiveField: l.receptiveField } : {}),
    }));
    process.stdout.write(JSON.stringify({ name, input, layers, totals: summary.totals }, null, 2) + '\n');
    return;
  }
  const n = (v: number) => v.toLocaleString('en-US');
  const rows = [
    ['Layer (id)', 'Type', 'Output shape', 'Params', 'MACs', 'RF'],
    ['input', 'input', shape(input), '0', '0', input.length === 3 ? '1' : ''],
    ...summary.layers.map((l) => [l.id, l.kind, shape(l.outputShape), n(l.params), n(l.macs), l.receptiveField === undefined ? '' : String(l.receptiveField)]),
  ];
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c >= 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('   ').trimEnd();
  const rule = '─'.repeat(line(rows[0]!).length);
  const t = summary.totals;
  const share = (part: number, whole: number) => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '–');
  process.stdout.write([
    `Model: ${name}`, rule, line(rows[0]!), rule, ...rows.slice(1).map(line), rule,
    `Total params: ${n(t.params)} (trainable ${n(t.trainableParams)}, non-trainable ${n(t.params - t.trainableParams)})`,
    `Params: conv ${share(t.convParams, t.params)}, dense ${share(t.denseParams, t.params)}`,
    `MACs per example: ${n(t.macs)} (conv ${share(t.convMacs, t.macs)}, dense ${share(t.denseMacs, t.macs)}); other ops ${n(t.otherOps)}`,
    `Ops per example as the course's CNN table counts them (MACs + bias additions): ${formatCount(t.macs + t.biasAdds)}`,
    'RF: receptive field of one output position, in input pixels along a side.',
  ].join('\n') + '\n');
}

const shape = (s: number[]): string => `[${['batch', ...s].join(', ')}]`;
