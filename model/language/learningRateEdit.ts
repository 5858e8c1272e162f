// The text edit that sets train.learningRate in a model file (the LR finder's "use this rate"):
// replaces the value where the rate is written (train.learningRate, or the optimizer's own
// learningRate option), else adds `learningRate:` as the first key of train.
import type { Range } from './diagnostic';
import { entry, parseSource, type SrcNode } from './source';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** Shortest text that reads back as the same number (3 significant digits are plenty for a rate). */
export const formatRate = (lr: number): string => String(Number(lr.toPrecision(3)));

export function learningRateEdit(text: string, learningRate: number, json: boolean): TextEdit | undefined {
  const root = parseSource(text).root;
  const train = root ? entry(root, 'train')?.value : undefined;
  if (!train || train.kind !== 'map') return undefined;
  const value = formatRate(learningRate);
  const direct = entry(train, 'learningRate');
  if (direct) return { range: direct.value.range, newText: value };
  const optimizer = entry(train, 'optimizer')?.value;
  const inner = optimizer?.kind === 'map' && optimizer.entries.length === 1 ? (optimizer.entries[0]?.value as SrcNode) : undefined;
  const own = inner ? entry(inner, 'learningRate') : undefined;
  if (own) return { range: own.value.range, newText: value };
  const first = train.entries[0];
  if (!first) return undefined;
  const at = first.keyRange.start;
  const lines = text.split('\n');
  const line = lines[at.line] ?? '';
  const flow = json || line.slice(0, at.character).trim().length > 0;
  const key = json ? '"learningRate"' : 'learningRate';
  // Block YAML: a new line with the first key's indentation; JSON and flow maps: before the first key on its line.
  const newText = flow ? `${key}: ${value}, ` : `${key}: ${value}\n${line.slice(0, at.character)}`;
  return { range: { start: at, end: at }, newText };
}
