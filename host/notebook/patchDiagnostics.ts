// Editor diagnostics for a notebook's patch cells. A patch is not a model by itself, so it is
// checked as what it trains: merged onto the model above it (host/notebook/resolveCells.ts), parsed
// and run through the rules like any model file. Each diagnostic of the merged model is carried
// back to the patch by its path: one on a key the patch writes (a misspelt key, a value out of
// range) lands on that key in the cell; one the patch causes elsewhere (an optimizer it changed
// that no longer suits the base's learning rate) lands on the nearest key the patch writes (its first line
// when it writes none of the path); one the
// base already had stays with the base cell, which shows it itself.
import type { Range, SpecDiagnostic, SpecFix } from '../../model/language/diagnostic';
import { pathAt, type Path } from '../../model/language/pathAt';
import { ModelDocument } from '../../model/language/modelDocument';
import { parseSource, type SrcNode } from '../../model/language/source';
import { anchorRange } from '../../model/language/anchors';
import { resolveCells, type CellInput } from './resolveCells';

/** The diagnostics of each patch cell, on its own lines; undefined for model and markdown cells. */
export function patchCellDiagnostics(cells: CellInput[]): (SpecDiagnostic[] | undefined)[] {
  const resolved = resolveCells(cells);
  const trained = resolved.map((r) => (r && 'text' in r ? r.text : undefined));
  return cells.map((cell, i) => {
    if (cell.kind !== 'patch') return undefined;
    const own = parseSource(cell.source);
    if (own.diagnostics.some((d) => d.severity === 'error')) return own.diagnostics;
    const r = resolved[i];
    if (!r || 'error' in r) return [{ severity: 'error', code: 'patch-base', message: r?.error ?? 'This patch cannot apply.', range: firstLine(cell.source) }];
    const base = previousText(cells, trained, i);
    return base === undefined ? [] : carryBack(r.text, base, cell.source, own.root);
  });
}

function previousText(cells: CellInput[], trained: (string | undefined)[], i: number): string | undefined {
  for (let j = i - 1; j >= 0; j--) if (cells[j]?.kind !== 'markdown') return trained[j];
  return undefined;
}

const firstLine = (text: string): Range => ({ start: { line: 0, character: 0 }, end: { line: 0, character: (text.split('\n')[0] ?? '').length } });
const key = (d: SpecDiagnostic): string => `${d.code}\u0000${d.message}`;
const OPTIONS = { defaultName: 'model', defaultSeed: 0 };

/** The merged model's diagnostics that belong to the patch (its text parsed: `patch`), moved onto the patch's text. */
function carryBack(merged: string, base: string, patchText: string, patch: SrcNode | undefined): SpecDiagnostic[] {
  // Each text parsed once: the merged model's tree serves both its diagnostics and their paths.
  const mergedDoc = new ModelDocument(merged, OPTIONS);
  const mergedRoot = mergedDoc.tree.root;
  const inBase = new Set(new ModelDocument(base, OPTIONS).diagnostics.map(key));
  const out: SpecDiagnostic[] = [];
  for (const d of mergedDoc.diagnostics) {
    const path = pathAt(mergedRoot, d.range.start);
    const depth = writtenDepth(patch, path);
    const onPatch = depth === path.length && depth > 0;
    if (!onPatch && inBase.has(key(d))) continue;
    const { fixes, ...rest } = d;
    const moved = (fixes ?? []).map((f) => moveFix(f, mergedRoot, patch)).filter((f): f is SpecFix => !!f);
    out.push({ ...rest, range: depth === 0 ? firstLine(patchText) : placeOf(d.range, path, depth, mergedRoot, patch), ...(moved.length ? { fixes: moved } : {}) });
  }
  return out;
}

/** The same token in the patch (the key, or the value) when the patch writes it; else the nearest key it writes. */
function placeOf(range: Range, path: Path, depth: number, mergedRoot: SrcNode | undefined, patch: SrcNode | undefined): Range {
  if (depth === path.length) {
    const from = tokensAt(mergedRoot, path);
    const to = tokensAt(patch, path);
    if (from.key && to.key && sameRange(range, from.key)) return to.key;
    if (from.value && to.value && sameRange(range, from.value)) return to.value;
  }
  return anchorRange(patch, path.slice(0, depth));
}

/** How many steps of a path the patch writes itself. */
function writtenDepth(patch: SrcNode | undefined, path: Path): number {
  let node = patch;
  let depth = 0;
  for (const step of path) {
    if (typeof step === 'number' && node?.kind === 'seq') node = node.items[step];
    else if (typeof step === 'string' && node?.kind === 'map') node = node.entries.find((e) => e.key === step)?.value;
    else break;
    if (!node) break;
    depth++;
  }
  return depth;
}

/**
 * A fix travels when each of its edits replaces a whole key or scalar the patch writes (a
 * misspelt key renamed, a value replaced): the same token is then replaced in the cell.
 */
function moveFix(fix: SpecFix, mergedRoot: SrcNode | undefined, patch: SrcNode | undefined): SpecFix | undefined {
  const edits = [];
  for (const e of fix.edits) {
    const path = pathAt(mergedRoot, e.range.start);
    if (path.length === 0 || writtenDepth(patch, path) !== path.length) return undefined;
    const from = tokensAt(mergedRoot, path);
    const to = tokensAt(patch, path);
    const range = from.key && sameRange(e.range, from.key) ? to.key : from.value && sameRange(e.range, from.value) ? to.value : undefined;
    if (!range) return undefined;
    edits.push({ ...e, range });
  }
  return { ...fix, edits };
}

/** At a path: the key of its last step (a map entry) and the range of its value when a scalar. */
function tokensAt(root: SrcNode | undefined, path: Path): { key?: Range; value?: Range } {
  let node = root;
  let key: Range | undefined;
  for (const step of path) {
    key = undefined;
    if (typeof step === 'number' && node?.kind === 'seq') node = node.items[step];
    else if (typeof step === 'string' && node?.kind === 'map') {
      const e = node.entries.find((x) => x.key === step);
      key = e?.keyRange;
      node = e?.value;
    } else return {};
  }
  return { ...(key ? { key } : {}), ...(node?.kind === 'scalar' ? { value: node.range } : {}) };
}

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
