// Where a diagnostic sits in a JavaScript model file, and how to tell that an edit answered it.
// Training diagnostics (engine/stats/diagnose.ts) and rule diagnostics name paths in the model
// language (['train', 'learningRate'], ['model', 'layers', 2, 'dense', 'activation']); a JS file
// has no such tree, so the worker turns each path into a JS path once, while it still knows the
// kinds of the built layers, and from then on the JS path alone finds the token in any version
// of the text (the host re-anchors after each edit without running the file):
//   ['layers', kind, k, ...options]  the k-th `layers.<kind>(` call, an option key inside it
//   ['train' | 'data', ...keys]      the exported object, a key inside it
//   ['model']                        the `model` export (a layer list as a whole)
import type { TrainingDiagnostic } from '../../protocol/stats';
import type { Range, SpecDiagnostic } from './diagnostic';
import { startOfFile } from './diagnostic';
import { codeOnly, exportRange, layerCallSites, mapLayersToSites, rangeOf, type CallSite } from './jsModelLines';
import { pathAt, type Path } from './pathAt';
import type { SrcNode } from './source';

export type { Path };

const sameRange = (a: Range, b: Range): boolean =>
  a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;

/** A model-language path as a JS path; `kinds` are the built layers' kinds in model order. */
export function toJsPath(path: Path, kinds: string[], jsText: string): Path {
  const [section, second, index, , ...options] = path;
  if (section === 'train' || section === 'data') return path;
  if (section === 'model' && second === 'layers' && typeof index === 'number') {
    const kind = kinds[index];
    const sites = layerCallSites(jsText);
    const range = mapLayersToSites(kinds, sites)[index];
    const k = kind && range ? sites.filter((s) => s.kind === kind).findIndex((s) => sameRange(s.range, range)) : -1;
    if (kind && k >= 0) return ['layers', kind, k, ...options];
  }
  return ['model'];
}

/** Offset just after the bracket that closes the one at `open` (code with strings blanked). */
function closing(code: string, open: number): number {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return code.length;
}

/** End of a property's value: the next `,` or closing bracket at its own depth. */
function valueEnd(code: string, from: number, limit: number): number {
  let depth = 0;
  for (let i = from; i < limit; i++) {
    const c = code[i];
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (c === ',' && depth === 0) return i;
  }
  return limit;
}

const offsetOf = (text: string, p: Range['start']): number => {
  let offset = 0;
  for (let line = 0; line < p.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + p.character;
};

interface Found { range: Range; value: [number, number] }

/** Keys searched one inside the other in code[from, to); the deepest found, and whether all were. */
function findKeys(text: string, code: string, keys: Path, from: number, to: number): { found?: Found; all: boolean } {
  let found: Found | undefined;
  for (const key of keys) {
    if (typeof key !== 'string') return { ...(found ? { found } : {}), all: false };
    const re = new RegExp(`(['"]?)\\b${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1\\s*:`, 'g');
    re.lastIndex = from;
    let m: RegExpExecArray | null;
    let at = -1;
    while ((m = re.exec(text)) && m.index < to) {
      const quote = m[1] ?? '';
      const colon = m.index + m[0].length - 1;
      const keyAt = m.index + quote.length;
      // A key in code (not in a comment or a string), of this object rather than a nested one.
      if (code[colon] !== ':' || (!quote && code[keyAt] !== text[keyAt]) || depthOf(code.slice(from, m.index)) !== 0) continue;
      at = keyAt;
      from = colon + 1;
      break;
    }
    if (at < 0) return { ...(found ? { found } : {}), all: false };
    const end = valueEnd(code, from, to);
    found = { range: rangeOf(text, at, key.length), value: [from, end] };
    // The next key is looked for inside this value's object.
    const open = code.slice(from, end).search(/[{[]/);
    if (open < 0) { from = end; to = end; } else { from += open + 1; to = end; }
  }
  return { ...(found ? { found } : {}), all: true };
}

function depthOf(code: string): number {
  let depth = 0;
  for (const c of code) {
    if (c === '(' || c === '{' || c === '[') depth++;
    else if (c === ')' || c === '}' || c === ']') depth--;
  }
  return depth;
}

/** The object literal an export is assigned (offsets inside its braces), if it is one. */
function exportObject(text: string, code: string, name: string): { name: Range; body?: [number, number] } | undefined {
  const r = exportRange(text, name);
  if (!r) return undefined;
  const after = offsetOf(text, r.end);
  const m = /^\s*[=:]\s*\{/.exec(code.slice(after));
  if (!m) return { name: r };
  const open = after + m[0].length - 1;
  return { name: r, body: [open + 1, closing(code, open) - 1] };
}

interface Located { range: Range; text?: string }

function locate(text: string, path: Path): Located | undefined {
  const code = codeOnly(text);
  const [head, ...rest] = path;
  if (head === 'layers') {
    const [kind, k, ...options] = rest;
    const site: CallSite | undefined = layerCallSites(text).filter((s) => s.kind === kind)[Number(k)];
    if (!site) return undefined;
    const start = offsetOf(text, site.range.start);
    const open = code.indexOf('(', start);
    const end = closing(code, open);
    const call = text.slice(start, end);
    const brace = code.indexOf('{', open);
    const inner = brace >= 0 && brace < end ? [brace + 1, closing(code, brace) - 1] as const : undefined;
    const option = options.length && inner ? findKeys(text, code, options, inner[0], inner[1]).found : undefined;
    return { range: option?.range ?? site.range, text: call };
  }
  if (head === 'train' || head === 'data') {
    const obj = exportObject(text, code, head);
    if (!obj) return undefined;
    if (!obj.body) return rest.length ? { range: obj.name } : { range: obj.name, text: text.split('\n')[obj.name.start.line] ?? '' };
    const { found, all } = findKeys(text, code, rest, obj.body[0], obj.body[1]);
    const value = all ? (found?.value ?? obj.body) : undefined;
    return { range: found?.range ?? obj.name, ...(value ? { text: text.slice(value[0], value[1]) } : {}) };
  }
  const calls = layerCallSites(text).map((s) => {
    const start = offsetOf(text, s.range.start);
    return text.slice(start, closing(code, code.indexOf('(', start)));
  });
  return { range: exportRange(text, 'model') ?? startOfFile, text: calls.join('\n') };
}

/** The token a JS path points at in this version of the text (the `model` export when it is gone). */
export function jsAnchorRange(text: string, path: Path): Range {
  return locate(text, path)?.range ?? exportRange(text, 'model') ?? startOfFile;
}

/** One string that changes when the source text of any answering path changes (spacing aside). */
export function jsFingerprint(text: string, answers: Path[]): string {
  return JSON.stringify(answers.map((p) => locate(text, p)?.text?.replace(/\s+/g, ' ').trim() ?? null));
}

/** Training diagnostics of a run of a JS model file, moved from the generated model text to the JS text that ran. */
export function toJsDiagnostics(list: TrainingDiagnostic[], kinds: string[], jsText: string): TrainingDiagnostic[] {
  return list.map((d) => {
    const anchor = toJsPath(d.anchor, kinds, jsText);
    const answers = d.answers.map((p) => toJsPath(p, kinds, jsText));
    return { ...d, anchor, answers, range: jsAnchorRange(jsText, anchor), answered: jsFingerprint(jsText, answers) };
  });
}

/**
 * The model language's rule diagnostics of a JS model file (found on the generated text) as
 * diagnostics of the JS file, anchored like training ones so they follow edits and clear when the
 * layer call or the export they are about changes. Fixes edit the generated text: they do not travel.
 */
export function jsRuleDiagnostics(diagnostics: SpecDiagnostic[], generated: SrcNode | undefined, kinds: string[], jsText: string): TrainingDiagnostic[] {
  return diagnostics.map((d) => {
    const path = pathAt(generated, d.range.start);
    const anchor = toJsPath(path, kinds, jsText);
    // A rule answers to its layer call, or to the section (train, data) it is about.
    const answers = [anchor[0] === 'layers' ? anchor.slice(0, 3) : anchor.slice(0, 1)];
    return { severity: d.severity, message: d.message, code: d.code, anchor, answers, range: jsAnchorRange(jsText, anchor), answered: jsFingerprint(jsText, answers) };
  });
}
