// Builds small model files for the rule tests and applies quick-fix edits to text.
import type { SpecTextEdit } from '../../model/language/diagnostic';

export interface ModelParts {
  dataset?: string;
  input?: string;
  layers?: string[];
  loss?: string;
  optimizer?: string;
  learningRate?: string;
  batchSize?: string;
  metrics?: string;
}

export function model(p: ModelParts): string {
  const layers = p.layers ?? ['dense: {units: 8, activation: tanh}', 'dense: {units: 1, activation: sigmoid}'];
  return [
    'name: t',
    'data:',
    `  dataset: ${p.dataset ?? 'xor'}`,
    'model:',
    `  input: ${p.input ?? '[2]'}`,
    '  layers:',
    ...layers.map((l) => `    - ${l}`),
    'train:',
    `  loss: ${p.loss ?? 'binaryCrossentropy'}`,
    `  optimizer: ${p.optimizer ?? 'adam'}`,
    `  learningRate: ${p.learningRate ?? '0.01'}`,
    `  batchSize: ${p.batchSize ?? '32'}`,
    '  epochs: 1',
    ...(p.metrics ? [`  metrics: ${p.metrics}`] : []),
    '',
  ].join('\n');
}

function offsetOf(text: string, line: number, character: number): number {
  const lines = text.split('\n');
  let offset = 0;
  for (let i = 0; i < line && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
  return offset + character;
}

/** Applies non-overlapping edits, last first so earlier offsets stay valid (as VS Code does). */
export function applyEdits(text: string, edits: SpecTextEdit[]): string {
  const sorted = [...edits].sort((a, b) => offsetOf(text, b.range.start.line, b.range.start.character) - offsetOf(text, a.range.start.line, a.range.start.character));
  let out = text;
  for (const e of sorted) {
    const start = offsetOf(text, e.range.start.line, e.range.start.character);
    const end = offsetOf(text, e.range.end.line, e.range.end.character);
    out = out.slice(0, start) + e.newText + out.slice(end);
  }
  return out;
}
