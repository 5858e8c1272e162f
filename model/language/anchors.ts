// Where a training diagnostic sits in the model file, and how to tell that an edit answered it.
// A diagnostic names paths (['train', 'learningRate'], ['model', 'layers', 2]) rather than lines:
// after an edit, the extension re-parses the file, moves the diagnostic to where its path is now,
// and clears it once the values at its `answers` paths differ from those that ran.
import type { Range } from './diagnostic';
import { COMMON_LAYER_KEYS } from './layers';
import { startOfFile } from './diagnostic';
import type { SrcNode } from './source';

export type Path = (string | number)[];

/** The token a path points at: a scalar's value, a map's key (the layer name for a layer). */
export function anchorRange(root: SrcNode | undefined, path: Path): Range {
  let node = root;
  let range: Range = root?.range ?? startOfFile;
  for (const step of path) {
    if (!node) break;
    if (typeof step === 'number' && node.kind === 'seq') {
      node = node.items[step];
      if (!node) break;
      // A layer's token is its kind's key, also when id or inputs stand beside it (parseSections.ts).
      const key = node.kind === 'map' ? (node.entries.find((e) => !(COMMON_LAYER_KEYS as readonly string[]).includes(e.key)) ?? node.entries[0]) : undefined;
      range = key ? key.keyRange : node.range;
    } else if (typeof step === 'string' && node.kind === 'map') {
      const e = node.entries.find((x) => x.key === step);
      if (!e) break;
      node = e.value;
      range = e.value.kind === 'scalar' ? e.value.range : e.keyRange;
    } else break;
  }
  return range;
}

/** The plain value at a path (ranges dropped), or undefined when the path is not there. */
export function valueAt(root: SrcNode | undefined, path: Path): unknown {
  let node = root;
  for (const step of path) {
    if (!node) return undefined;
    if (typeof step === 'number' && node.kind === 'seq') node = node.items[step];
    else if (typeof step === 'string' && node.kind === 'map') node = node.entries.find((e) => e.key === step)?.value;
    else return undefined;
  }
  return node ? plain(node) : undefined;
}

function plain(node: SrcNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(plain);
  return Object.fromEntries(node.entries.map((e) => [e.key, plain(e.value)]));
}

/** One string that changes when any of the answering values changes. */
export function fingerprint(root: SrcNode | undefined, answers: Path[]): string {
  return JSON.stringify(answers.map((p) => valueAt(root, p) ?? null));
}
