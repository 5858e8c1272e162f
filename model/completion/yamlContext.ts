// Where the cursor is in a YAML model file that is being typed (so often not valid YAML yet):
// the chain of keys above it, from indentation and from the open `{` of flow maps on its line,
// and whether a key, a value or a list item is being written.

export interface YamlCursor {
  /** Keys from the top of the file down to the map being written in (list items are skipped). */
  path: string[];
  mode: 'key' | 'value' | 'item';
  /** For 'value': the key whose value is being written. */
  key?: string;
  /** Keys already present in the map being written in (not offered again). */
  siblings: string[];
}

const KEY_LINE = /^(\s*)(-\s+)?("?)([\w.-]+)\3\s*:(.*)$/;
const indentOf = (line: string): number => line.length - line.trimStart().length;
const isBlank = (line: string): boolean => line.trim() === '' || line.trim().startsWith('#');

/** Column where the key of a line starts (after `- ` for a list item), or undefined. */
function keyColumn(line: string): { key: string; column: number; rest: string } | undefined {
  const m = KEY_LINE.exec(line);
  if (!m) return undefined;
  return { key: m[4] as string, column: (m[1]?.length ?? 0) + (m[2]?.length ?? 0), rest: m[5] ?? '' };
}

/** Keys of the block maps enclosing a line whose content starts at `column`. */
function blockAncestors(lines: string[], lineNo: number, column: number): string[] {
  const path: string[] = [];
  let limit = column;
  for (let i = lineNo - 1; i >= 0 && limit > 0; i--) {
    const line = lines[i] ?? '';
    if (isBlank(line)) continue;
    const k = keyColumn(line);
    const indent = indentOf(line);
    if (k && k.column < limit && k.rest.trim() === '') {
      path.unshift(k.key);
      limit = indent;
    } else if (indent < limit) {
      limit = indent;
    }
  }
  return path;
}

/** Keys present at the current level of a block map (same column, until the map ends). */
function blockSiblings(lines: string[], lineNo: number, column: number): string[] {
  const keys: string[] = [];
  const scan = (from: number, step: number) => {
    for (let i = from; i >= 0 && i < lines.length; i += step) {
      const line = lines[i] ?? '';
      if (isBlank(line)) continue;
      if (indentOf(line) < column) break;
      const k = keyColumn(line);
      if (k && k.column === column) keys.push(k.key);
    }
  };
  scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return keys;
}

/** Inside open `{` on the line: the keys that own each open map, and the text after the last `{` or `,`. */
function flowState(text: string): { owners: string[]; segment: string; siblings: string[] } | undefined {
  const owners: string[] = [];
  const siblingStack: string[][] = [];
  let segStart = 0;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = '';
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{') {
      const before = text.slice(segStart, i);
      owners.push(/([\w.-]+)\s*:\s*$/.exec(before)?.[1] ?? '');
      siblingStack.push([]);
      segStart = i + 1;
    } else if (ch === '}') {
      owners.pop();
      siblingStack.pop();
      segStart = i + 1;
    } else if (ch === ',' && owners.length) {
      const key = /^\s*([\w.-]+)\s*:/.exec(text.slice(segStart, i))?.[1];
      if (key) siblingStack[siblingStack.length - 1]?.push(key);
      segStart = i + 1;
    }
  }
  if (!owners.length) return undefined;
  return { owners, segment: text.slice(segStart), siblings: siblingStack[siblingStack.length - 1] ?? [] };
}

export function yamlCursor(text: string, line: number, character: number): YamlCursor {
  const lines = text.split('\n');
  const full = lines[line] ?? '';
  const prefix = full.slice(0, character);
  const item = /^(\s*)-\s*/.exec(prefix);
  const contentColumn = item ? item[0].length : indentOf(prefix);
  const ancestors = blockAncestors(lines, line, item ? (item[1]?.length ?? 0) + 1 : contentColumn);
  const own = keyColumn(prefix);
  const flow = own && flowState(own.rest);
  if (own && flow) {
    const path = [...ancestors, own.key, ...flow.owners.filter(Boolean)];
    const colon = /^\s*([\w.-]+)\s*:\s*([\w.-]*)$/.exec(flow.segment);
    if (colon) return { path, mode: 'value', key: colon[1] as string, siblings: flow.siblings };
    return { path, mode: 'key', siblings: flow.siblings };
  }
  if (own) {
    return { path: ancestors, mode: 'value', key: own.key, siblings: [] };
  }
  if (item && /^\s*-\s*[\w.-]*$/.test(prefix)) return { path: ancestors, mode: 'item', siblings: [] };
  return { path: ancestors, mode: 'key', siblings: blockSiblings(lines, line, contentColumn) };
}
