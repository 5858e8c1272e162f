// YAML reports an unclosed `[` or `{` where it gives up: at the next key, a line or more below
// ("Flow sequence in block collection must be sufficiently indented"). The mistake is the bracket,
// so this finds it: a flow collection still open when a line starts at or left of the line that
// opened it has run into the next entry.

export interface UnclosedBracket {
  /** 0-based line and character of the bracket. */
  line: number;
  character: number;
  bracket: '[' | '{';
}

const CLOSER = { '[': ']', '{': '}' } as const;

export function findUnclosedFlow(text: string): UnclosedBracket | undefined {
  const lines = text.split(/\r?\n/);
  const open: (UnclosedBracket & { indent: number })[] = [];
  for (let line = 0; line < lines.length; line++) {
    const src = lines[line] as string;
    const indent = src.length - src.trimStart().length;
    const blank = src.trim() === '' || src.trimStart().startsWith('#');
    const outer = open[0];
    if (outer && !blank && indent <= outer.indent) return strip(open[open.length - 1] ?? outer);
    let quote: string | undefined;
    for (let i = 0; i < src.length; i++) {
      const ch = src[i] as string;
      if (quote) {
        if (ch === quote) quote = undefined;
        continue;
      }
      if (ch === '"' || ch === "'") quote = ch;
      else if (ch === '#' && (i === 0 || /\s/.test(src[i - 1] as string))) break;
      else if (ch === '[' || ch === '{') open.push({ line, character: i, bracket: ch, indent });
      else if (ch === ']' || ch === '}') {
        const top = open[open.length - 1];
        if (top && CLOSER[top.bracket] === ch) open.pop();
      }
    }
  }
  const last = open[open.length - 1];
  return last ? strip(last) : undefined;
}

function strip({ line, character, bracket }: UnclosedBracket): UnclosedBracket {
  return { line, character, bracket };
}
