// YAML/JSON text -> a small tree that keeps the source range of every key and value, so that
// every later message (validation now, training diagnostics later) lands on the exact token.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { Range, SpecDiagnostic } from './diagnostic';
import { findUnclosedFlow } from './unclosedFlow';

export interface MapEntry {
  key: string;
  keyRange: Range;
  value: SrcNode;
}

export type SrcNode =
  | { kind: 'map'; entries: MapEntry[]; range: Range }
  | { kind: 'seq'; items: SrcNode[]; range: Range }
  | { kind: 'scalar'; value: string | number | boolean | null; range: Range };

export interface SourceTree {
  root?: SrcNode;
  diagnostics: SpecDiagnostic[];
}

/** Deeper than any sensible model file; guards the walker against hostile input. */
const MAX_DEPTH = 64;

export function parseSource(text: string): SourceTree {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const toRange = (start: number, end: number): Range => {
    const a = lines.linePos(Math.max(0, Math.min(start, text.length)));
    const b = lines.linePos(Math.max(0, Math.min(Math.max(end, start), text.length)));
    return { start: { line: a.line - 1, character: a.col - 1 }, end: { line: b.line - 1, character: b.col - 1 } };
  };
  const diagnostics: SpecDiagnostic[] = [];
  for (const e of [...doc.errors, ...doc.warnings]) {
    const [start, end] = e.pos;
    diagnostics.push({
      severity: doc.errors.includes(e as never) ? 'error' : 'warning',
      message: cleanYamlMessage(e.message),
      range: toRange(start, end),
      code: 'syntax',
    });
  }
  if (doc.errors.length > 0) return { diagnostics: withUnclosedBracket(text, doc.errors.map((e) => e.code), diagnostics) };

  const nodeRange = (n: YamlNode | null | undefined, fallback: Range): Range =>
    n?.range ? toRange(n.range[0], n.range[1]) : fallback;

  const walk = (n: unknown, fallback: Range, depth: number): SrcNode => {
    if (depth > MAX_DEPTH) throw new NestingError(fallback);
    if (isMap(n)) {
      const range = nodeRange(n, fallback);
      const entries: MapEntry[] = [];
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyRange = nodeRange(keyNode, range);
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode ?? '');
        entries.push({ key, keyRange, value: walk(pair.value, keyRange, depth + 1) });
      }
      return { kind: 'map', entries, range };
    }
    if (isSeq(n)) {
      const range = nodeRange(n, fallback);
      return { kind: 'seq', items: n.items.map((item) => walk(item, range, depth + 1)), range };
    }
    if (isAlias(n)) throw new AliasError(nodeRange(n, fallback));
    if (isScalar(n)) {
      const v = n.value;
      const value = typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null ? v : String(v);
      return { kind: 'scalar', value, range: nodeRange(n, fallback) };
    }
    // An empty value (`key:` with nothing after it) parses as null with no node.
    return { kind: 'scalar', value: null, range: fallback };
  };

  try {
    if (doc.contents === null) {
      diagnostics.push({ severity: 'error', message: 'The model file is empty: it needs the sections data, model and train.', range: toRange(0, 0), code: 'empty' });
      return { diagnostics };
    }
    return { root: walk(doc.contents, toRange(0, 0), 0), diagnostics };
  } catch (e) {
    if (e instanceof NestingError || e instanceof AliasError) {
      diagnostics.push({ severity: 'error', message: e.message, range: e.range, code: 'syntax' });
      return { diagnostics };
    }
    throw e;
  }
}

class NestingError extends Error {
  constructor(readonly range: Range) {
    super(`Nested more than ${MAX_DEPTH} levels deep; a model file never needs that.`);
  }
}

class AliasError extends Error {
  constructor(readonly range: Range) {
    super('YAML aliases (*name) are not supported in model files: write the value out.');
  }
}

/** yaml's messages end with " at line X, column Y:" and a code excerpt; the editor shows position itself. */
/** YAML's complaints about a flow collection running into the next key. */
const FLOW_CODES = new Set(['BAD_INDENT', 'BLOCK_IN_FLOW', 'MISSING_CHAR', 'UNEXPECTED_TOKEN']);

/** An unclosed `[` or `{` is reported on the bracket itself, instead of where YAML gave up. */
function withUnclosedBracket(text: string, codes: string[], diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  if (!codes.some((c) => FLOW_CODES.has(c))) return diagnostics;
  const open = findUnclosedFlow(text);
  if (!open) return diagnostics;
  const closer = open.bracket === '[' ? ']' : '}';
  const what = open.bracket === '[' ? 'list' : 'map';
  const at = { line: open.line, character: open.character };
  return [
    { severity: 'error', code: 'syntax', range: { start: at, end: { line: at.line, character: at.character + 1 } },
      message: `This ${open.bracket} is never closed: end the ${what} with ${closer} (a ${open.bracket}…${closer} ${what} ends before the next key), or write it as indented lines without brackets.` },
    ...diagnostics.filter((d) => !/^(Flow (sequence|map|collection)|Block collections are not allowed within flow)/.test(d.message)),
  ];
}

function cleanYamlMessage(message: string): string {
  const first = message.split('\n')[0] ?? message;
  return first.replace(/ at line \d+, column \d+:?$/, '').trim();
}

export function entry(node: SrcNode, key: string): MapEntry | undefined {
  return node.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

/** Range of the value at a path of keys/indices, or of the deepest node that exists on the way. */
export function rangeAt(root: SrcNode | undefined, path: (string | number)[]): Range | undefined {
  let node = root;
  let range = root?.range;
  for (const step of path) {
    if (!node) break;
    if (typeof step === 'number' && node.kind === 'seq') node = node.items[step];
    else if (typeof step === 'string' && node.kind === 'map') {
      const e = entry(node, step);
      node = e?.value;
      if (e) range = e.value.range;
      continue;
    } else break;
    if (node) range = node.range;
  }
  return range;
}
