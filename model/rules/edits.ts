// Quick-fix edits on the model file text that keep its style: YAML flow maps, YAML block maps and
// JSON all get the new option written the way the rest of the file writes it.
import type { Position, Range, SpecTextEdit } from '../language/diagnostic';
import type { LayerSpec } from '../language/model';
import { entry, type SrcNode } from '../language/source';
import type { RuleContext } from './rule';

const isJson = (text: string): boolean => text.trimStart().startsWith('{');

function offsetOf(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next < 0) return text.length;
    offset = next + 1;
  }
  return offset + p.character;
}

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** A value as the file writes it: quoted strings in JSON, bare words in YAML. */
export function valueText(ctx: Pick<RuleContext, 'text'>, value: string | number): string {
  return isJson(ctx.text) && typeof value === 'string' ? JSON.stringify(value) : String(value);
}

const keyText = (ctx: Pick<RuleContext, 'text'>, key: string): string => (isJson(ctx.text) ? JSON.stringify(key) : key);

export function replace(range: Range, newText: string): SpecTextEdit {
  return { range, newText };
}

/** The list item of a layer in the source tree. */
function layerItem(ctx: Pick<RuleContext, 'spec'>, layer: LayerSpec): SrcNode | undefined {
  const layers = entry(entry(ctx.spec.source, 'model')?.value ?? ctx.spec.source, 'layers')?.value;
  return layers?.kind === 'seq' ? layers.items[layer.index] : undefined;
}

/**
 * Sets one option of a layer: replaces its value if present, else adds it to the layer's options.
 * undefined when the layer is written in a form this cannot edit safely.
 */
export function setLayerOption(ctx: Pick<RuleContext, 'spec' | 'text'>, layer: LayerSpec, key: string, value: string | number): SpecTextEdit[] | undefined {
  const newValue = valueText(ctx, value);
  const existing = layer.optionRanges[key];
  if (existing) return [replace(existing, newValue)];
  const item = layerItem(ctx, layer);
  const pair = `${keyText(ctx, key)}: ${newValue}`;
  if (item?.kind === 'scalar') return [replace(item.range, isJson(ctx.text) ? `{${keyText(ctx, layer.kind)}: {${pair}}}` : `${layer.kind}: {${pair}}`)];
  const options = item?.kind === 'map' ? (item.entries.find((e) => e.key === layer.kind) ?? item.entries[0])?.value : undefined;
  if (!options || options.kind !== 'map') return undefined;
  const start = offsetOf(ctx.text, options.range.start);
  const end = offsetOf(ctx.text, options.range.end);
  if (ctx.text[start] === '{') {
    const close = ctx.text.lastIndexOf('}', end);
    if (close <= start) return undefined;
    const at = positionOf(ctx.text, close);
    return [{ range: { start: at, end: at }, newText: options.entries.length ? `, ${pair}` : pair }];
  }
  // Block map: a new line under the last option, at the indentation of the first.
  const first = options.entries[0];
  const last = options.entries[options.entries.length - 1];
  if (!first || !last) return undefined;
  const lineEnd = ctx.text.indexOf('\n', offsetOf(ctx.text, last.value.range.end));
  const at = positionOf(ctx.text, lineEnd < 0 ? ctx.text.length : lineEnd);
  return [{ range: { start: at, end: at }, newText: `\n${' '.repeat(first.keyRange.start.character)}${pair}` }];
}

/** Replaces the value at a key path (e.g. train.loss), when the file has that key. */
export function setValue(ctx: Pick<RuleContext, 'spec' | 'text'>, path: string[], value: string | number): SpecTextEdit[] | undefined {
  let node: SrcNode | undefined = ctx.spec.source;
  for (const key of path) node = node && entry(node, key)?.value;
  return node ? [replace(node.range, valueText(ctx, value))] : undefined;
}

/** Replaces a layer's kind name (e.g. flatten -> globalAveragePooling2d) when it has no options. */
export function renameLayer(ctx: Pick<RuleContext, 'spec' | 'text'>, layer: LayerSpec, kind: string): SpecTextEdit[] {
  return [replace(layer.range, isJson(ctx.text) && !ctx.text.slice(offsetOf(ctx.text, layer.range.start)).startsWith(layer.kind) ? JSON.stringify(kind) : kind)];
}

/** The whole lines of a layer's list item, or undefined when it shares a line with others (JSON, flow lists). */
function itemLines(ctx: Pick<RuleContext, 'spec' | 'text'>, layer: LayerSpec): { first: number; after: number; indent: string } | undefined {
  const item = layerItem(ctx, layer);
  if (!item || isJson(ctx.text)) return undefined;
  const lines = ctx.text.split('\n');
  const first = item.range.start.line;
  const head = lines[first] ?? '';
  const dash = /^(\s*)-\s/.exec(head);
  if (!dash || head.indexOf('-') + 1 > item.range.start.character) return undefined;
  const after = item.range.end.character === 0 ? item.range.end.line : item.range.end.line + 1;
  return { first, after, indent: dash[1] ?? '' };
}

/** Deletes a layer's list item (YAML block lists). */
export function removeLayer(ctx: Pick<RuleContext, 'spec' | 'text'>, layer: LayerSpec): SpecTextEdit[] | undefined {
  const at = itemLines(ctx, layer);
  return at && [replace({ start: { line: at.first, character: 0 }, end: { line: at.after, character: 0 } }, '')];
}

/** Inserts a new list item (`kind: {options}` text) after a layer's item (YAML block lists). */
export function insertLayerAfter(ctx: Pick<RuleContext, 'spec' | 'text'>, layer: LayerSpec, itemText: string): SpecTextEdit[] | undefined {
  const at = itemLines(ctx, layer);
  return at && [replace({ start: { line: at.after, character: 0 }, end: { line: at.after, character: 0 } }, `${at.indent}- ${itemText}\n`)];
}
