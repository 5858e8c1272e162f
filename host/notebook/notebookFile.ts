// The `.modelnb` file: plain JSON that diffs well. Each cell's text is a list of lines (a one-line
// change is a one-line diff), cells carry only what the user wrote (outputs live in the run record,
// never in the file), and keys come in a fixed order so saving an unchanged notebook changes nothing.

export type CellKind = 'model' | 'patch' | 'markdown';

export interface NotebookFileCell {
  kind: CellKind;
  /** The cell's text. */
  source: string;
  /** Only for model cells written in JSON (`modellab-json`); YAML is the default. */
  language?: 'modellab-json';
}

export const NOTEBOOK_FORMAT_VERSION = 1;

/** Language of a cell's editor: whole models get the model language (and its diagnostics), patches plain YAML. */
export function languageOfKind(cell: NotebookFileCell): string {
  if (cell.kind === 'markdown') return 'markdown';
  if (cell.kind === 'patch') return 'yaml';
  return cell.language ?? 'modellab-yaml';
}

/** The kind a cell has by the language the user gave it (switching the language switches the kind). */
export function kindOfLanguage(language: string, isMarkup: boolean): Pick<NotebookFileCell, 'kind' | 'language'> {
  if (isMarkup) return { kind: 'markdown' };
  if (language === 'modellab-yaml') return { kind: 'model' };
  if (language === 'modellab-json') return { kind: 'model', language: 'modellab-json' };
  return { kind: 'patch' };
}

export function writeNotebookFile(cells: NotebookFileCell[]): string {
  const out = {
    modelLabNotebook: NOTEBOOK_FORMAT_VERSION,
    cells: cells.map((c) => ({ kind: c.kind, ...(c.language ? { language: c.language } : {}), source: c.source.split(/\r?\n/) })),
  };
  return JSON.stringify(out, null, 2) + '\n';
}

/** Never throws: a file that is not a Model Lab notebook comes back with a message saying why. */
export function readNotebookFile(text: string): { cells: NotebookFileCell[] } | { error: string } {
  if (text.trim() === '') return { cells: [] }; // a new, empty file
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { error: `The notebook is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || !Array.isArray((raw as { cells?: unknown }).cells)) {
    return { error: 'The notebook needs a "cells" list.' };
  }
  const version = (raw as { modelLabNotebook?: unknown }).modelLabNotebook;
  if (typeof version === 'number' && version > NOTEBOOK_FORMAT_VERSION) {
    return { error: `The notebook is format ${version}; this Model Lab reads format ${NOTEBOOK_FORMAT_VERSION}. Update the extension.` };
  }
  const cells: NotebookFileCell[] = [];
  for (const [i, c] of ((raw as { cells: unknown[] }).cells).entries()) {
    const cell = c as { kind?: unknown; source?: unknown; language?: unknown } | null;
    const kind = cell?.kind;
    if (kind !== 'model' && kind !== 'patch' && kind !== 'markdown') return { error: `Cell ${i + 1}: "kind" must be "model", "patch" or "markdown".` };
    const source = cell?.source;
    const lines = typeof source === 'string' ? [source] : Array.isArray(source) && source.every((l) => typeof l === 'string') ? (source as string[]) : undefined;
    if (!lines) return { error: `Cell ${i + 1}: "source" must be a list of lines.` };
    cells.push({ kind, source: lines.join('\n'), ...(kind === 'model' && cell?.language === 'modellab-json' ? { language: 'modellab-json' as const } : {}) });
  }
  return { cells };
}
