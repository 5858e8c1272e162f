// The path (['train', 'learningRate'], ['model', 'layers', 2, 'dense', 'units']) of the token at a
// position of a parsed model file: how a diagnostic found on generated text (a JS model file's
// model language, a notebook patch merged onto its base) is carried back to the text the user wrote.
import type { Range } from './diagnostic';
import type { SrcNode } from './source';

export type Path = (string | number)[];

/** The model-language path of the deepest node of a parsed model file that holds a position. */
export function pathAt(root: SrcNode | undefined, pos: Range['start']): Path {
  const path: Path = [];
  const inside = (r: Range): boolean =>
    (pos.line > r.start.line || (pos.line === r.start.line && pos.character >= r.start.character)) &&
    (pos.line < r.end.line || (pos.line === r.end.line && pos.character <= r.end.character));
  let node = root;
  while (node && node.kind !== 'scalar') {
    if (node.kind === 'map') {
      const e = node.entries.find((x) => inside({ start: x.keyRange.start, end: x.value.range.end }));
      if (!e) break;
      path.push(e.key);
      node = e.value;
    } else {
      const i = node.items.findIndex((x) => inside(x.range));
      if (i < 0) break;
      path.push(i);
      node = node.items[i];
    }
  }
  return path;
}
