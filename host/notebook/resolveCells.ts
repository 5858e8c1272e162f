// Turns the cells of a notebook into the model text each one trains: a model cell trains its own
// text (so worker messages point at the lines the user wrote), a patch cell trains the model above it
// with the patch merged in. Pure, so the notebook's meaning is tested without VS Code.
import { parseDocument, stringify } from 'yaml';
import { isMap, mergePatch, type Json } from './mergePatch';
import type { CellKind } from './notebookFile';

export interface CellInput {
  kind: CellKind;
  source: string;
}

/** Per cell, in order: the text to train, or why there is none. Markdown cells come back as undefined. */
export type ResolvedCell = { text: string; patched: boolean } | { error: string } | undefined;

export function resolveCells(cells: CellInput[]): ResolvedCell[] {
  let previous: { value: Json } | { error: string } | undefined;
  return cells.map((cell): ResolvedCell => {
    if (cell.kind === 'markdown') return undefined;
    const parsed = parseYaml(cell.source);
    if ('error' in parsed) {
      previous = { error: 'the cell above has errors' };
      return { error: parsed.error };
    }
    if (cell.kind === 'model') {
      previous = parsed;
      return { text: cell.source, patched: false };
    }
    if (!isMap(parsed.value)) {
      previous = { error: 'the cell above has errors' };
      return { error: 'A patch cell holds the keys that change, as a map (e.g. "train: {learningRate: 0.3}").' };
    }
    if (!previous) return { error: 'A patch cell changes the model of the cell above it, and there is no model cell above this one.' };
    if ('error' in previous) return { error: `This patch cannot apply: ${previous.error}.` };
    const merged = mergePatch(previous.value, parsed.value);
    previous = { value: merged };
    return { text: stringify(merged), patched: true };
  });
}

function parseYaml(text: string): { value: Json } | { error: string } {
  const doc = parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) return { error: first.message };
  return { value: (doc.toJS() ?? {}) as Json };
}
