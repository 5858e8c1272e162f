// `model-lab summary`: the layer table, Keras style.
import type { ModelSummary } from '../core/analysis/shapes';
import type { ModelSpec } from '../core/spec/model';

export function printSummary(spec: ModelSpec, summary: ModelSummary, json: boolean): void {
  if (json) {
    process.stdout.write(JSON.stringify({ name: spec.name, input: spec.model.input, ...summary }, null, 2) + '\n');
    return;
  }
  const rows = [
    ['Layer (id)', 'Type', 'Output shape', 'Params'],
    ['input', 'input', shape(spec.model.input), '0'],
    ...summary.layers.map((l) => [l.id, l.kind, shape(l.outputShape), l.params.toLocaleString('en-US')]),
  ];
  const widths = [0, 1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 3 ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0))).join('   ');
  const rule = '─'.repeat(line(rows[0] as string[]).length);
  const out = [`Model: ${spec.name}`, rule, line(rows[0] as string[]), rule, ...rows.slice(1).map(line), rule, `Total params: ${summary.totalParams.toLocaleString('en-US')}`];
  process.stdout.write(out.join('\n') + '\n');
}

const shape = (s: number[]): string => `[${['batch', ...s].join(', ')}]`;
