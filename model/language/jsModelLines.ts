// Where a JavaScript model file builds each layer: the `layers.<kind>(` call sites in source
// order, and where it exports `data` and `train`. Diagnostics about the i-th layer of the built
// model go to the i-th call site of that kind, so they land on the line that made the layer.
import type { Range } from './diagnostic';

export interface CallSite {
  kind: string;
  /** The kind's name in `tf.layers.dense(`. */
  range: Range;
}

/** Blanks out comments and string contents (keeping offsets and newlines) so only code matches. */
export function codeOnly(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, (m) => m.replace(/[^\n]/g, ' '));
}

function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

export const rangeOf = (text: string, start: number, length: number): Range => ({ start: positionAt(text, start), end: positionAt(text, start + length) });

export function layerCallSites(text: string): CallSite[] {
  const code = codeOnly(text);
  const sites: CallSite[] = [];
  for (const m of code.matchAll(/\blayers\s*\.\s*([A-Za-z_$][\w$]*)\s*\(/g)) {
    const kind = m[1] as string;
    const at = (m.index ?? 0) + m[0].indexOf(kind, m[0].indexOf('.'));
    sites.push({ kind, range: rangeOf(text, at, kind.length) });
  }
  return sites;
}

/** Range of the exported name (`export const data`, `exports.train`, `data:` in module.exports), if any. */
export function exportRange(text: string, name: string): Range | undefined {
  const code = codeOnly(text);
  const patterns = [
    new RegExp(`\\bexport\\s+(?:const|let|var|function|async\\s+function)\\s+(${name})\\b`),
    new RegExp(`\\b(?:module\\.)?exports\\s*\\.\\s*(${name})\\s*=`),
    new RegExp(`^(?:const|let|var|function|async\\s+function)\\s+(${name})\\b`, 'm'),
    new RegExp(`^\\s*(${name})\\s*[:(,]`, 'm'),
  ];
  for (const p of patterns) {
    const m = p.exec(code);
    if (m) return rangeOf(text, (m.index ?? 0) + m[0].lastIndexOf(name), name.length);
  }
  return undefined;
}

/**
 * Call site of each built layer (kinds in model order): the next unused site of the same kind,
 * so helper functions and loops that build several layers still map in order.
 */
export function mapLayersToSites(kinds: string[], sites: CallSite[]): (Range | undefined)[] {
  let next = 0;
  return kinds.map((kind) => {
    const i = sites.findIndex((s, j) => j >= next && s.kind === kind);
    if (i >= 0) {
      next = i + 1;
      return sites[i]?.range;
    }
    // A loop or helper that makes several layers from one call: they share its line.
    return sites.slice(0, next).reverse().find((s) => s.kind === kind)?.range;
  });
}
