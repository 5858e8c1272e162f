// `*.surface.yaml` text -> PlaygroundConfig + diagnostics on the exact key or value, with the same
// source tree and checker as model files. A formula's parse error lands on the character it is
// about inside the YAML value.
import { OPTIMIZER_KINDS, type PathSpec, type PlaygroundConfig, type ViewBox } from '../protocol/playground';
import { Checker } from './language/check';
import type { Range, SpecDiagnostic } from './language/diagnostic';
import { entry, parseSource, type SrcNode } from './language/source';
import { BUILTIN_SURFACES, makeSurface } from '../common/playground/surfaces';

export const MAX_STEPS = 5000;
export const MAX_PATHS = 12;
const TOP_KEYS = ['name', 'description', 'surface', 'view', 'start', 'steps', 'paths'];
const PATH_KEYS = ['optimizer', 'learningRate', 'momentum', 'decay', 'beta1', 'beta2', 'epsilon', 'initialAccumulatorValue'];

export interface SurfaceFileResult {
  config?: PlaygroundConfig;
  diagnostics: SpecDiagnostic[];
}

export function parseSurfaceFile(text: string, defaultName = 'surface'): SurfaceFileResult {
  const tree = parseSource(text);
  if (!tree.root) {
    // parseSource words its empty-file message for model files.
    const diagnostics = tree.diagnostics.map((d) => (d.code === 'empty' ? { ...d, message: 'The surface file is empty: it needs at least surface and paths.' } : d));
    return { diagnostics };
  }
  const c = new Checker();
  c.diagnostics.push(...tree.diagnostics);
  const root = tree.root;
  const entries = c.map(root, 'A surface file');
  if (!entries) return { diagnostics: c.diagnostics };
  c.keys(entries, TOP_KEYS, 'the surface file');
  const need = (key: string, example: string): SrcNode | undefined => {
    const node = entry(root, key)?.value;
    if (!node) c.report({ start: root.range.start, end: root.range.start }, `The surface file needs '${key}', e.g. ${example}.`, 'missing-key');
    return node;
  };

  const nameNode = entry(root, 'name')?.value;
  const name = (nameNode && c.string(nameNode, 'name')) || defaultName;
  const description = entry(root, 'description')?.value;
  if (description) c.string(description, 'description');

  const surfaceNode = need('surface', `'surface: rosenbrock' or 'surface: x^2 + 10*y^2'`);
  const surface = surfaceNode && readSurface(c, surfaceNode, text);
  const viewNode = entry(root, 'view')?.value;
  const view = viewNode && readView(c, viewNode);
  const startNode = entry(root, 'start')?.value;
  const start = startNode ? readPair(c, startNode, 'start') : [0, 0] as [number, number];
  const stepsNode = entry(root, 'steps')?.value;
  const steps = stepsNode ? c.number(stepsNode, 'steps', { integer: true, min: 1, max: MAX_STEPS }) : 50;
  const pathsNode = need('paths', '[{optimizer: sgd, learningRate: 0.1}]');
  const paths = pathsNode && readPaths(c, pathsNode);

  const builtin = BUILTIN_SURFACES.find((s) => s.id === surface);
  const resolvedStart = startNode ? start : builtin?.start ?? start;
  if (c.hasErrors || !surface || !resolvedStart || steps === undefined || !paths || (viewNode && !view)) return { diagnostics: c.diagnostics };
  return { config: { name, surface, ...(view ? { view } : {}), start: resolvedStart, steps, paths }, diagnostics: c.diagnostics };
}

function readSurface(c: Checker, node: SrcNode, text: string): string | undefined {
  const spec = node.kind === 'scalar' && typeof node.value === 'number' ? String(node.value) : c.string(node, 'surface');
  if (spec === undefined) return undefined;
  const made = makeSurface(spec);
  if (made.ok) return spec;
  const ids = BUILTIN_SURFACES.map((s) => s.id).join(', ');
  c.report(rangeInScalar(node.range, text, made.error.start, made.error.end), `${made.error.message} (surface is a formula in x and y, or one of: ${ids})`, 'bad-expression');
  return undefined;
}

/** The range of characters start..end of a one-line scalar's text (after an opening quote). */
function rangeInScalar(range: Range, text: string, start: number, end: number): Range {
  if (range.start.line !== range.end.line) return range;
  const line = text.split('\n')[range.start.line] ?? '';
  const open = line[range.start.character];
  if (open === '"' && line.includes('\\', range.start.character)) return range; // escapes shift offsets
  const base = range.start.character + (open === '"' || open === "'" ? 1 : 0);
  const from = Math.min(base + start, range.end.character);
  return { start: { line: range.start.line, character: from }, end: { line: range.start.line, character: Math.max(from, Math.min(base + end, range.end.character)) } };
}

function readPair(c: Checker, node: SrcNode, what: string): [number, number] | undefined {
  if (node.kind !== 'seq' || node.items.length !== 2) {
    c.report(node.range, `${what} must be a list of two numbers, e.g. [0, 0].`, 'wrong-type');
    return undefined;
  }
  const [a, b] = node.items.map((item) => c.number(item, `Each entry of ${what}`, { min: -1e6, max: 1e6 }));
  return a !== undefined && b !== undefined ? [a, b] : undefined;
}

function readView(c: Checker, node: SrcNode): ViewBox | undefined {
  const entries = c.map(node, 'view');
  if (!entries) return undefined;
  c.keys(entries, ['x', 'y'], 'view');
  const axis = (key: 'x' | 'y'): [number, number] | undefined => {
    const n = entry(node, key)?.value;
    if (!n) {
      c.report(node.range, `view needs '${key}': its range, e.g. ${key}: [-2, 2].`, 'missing-key');
      return undefined;
    }
    const pair = readPair(c, n, `view.${key}`);
    if (pair && !(pair[0] < pair[1])) {
      c.report(n.range, `view.${key} must go from low to high; got [${pair[0]}, ${pair[1]}].`, 'out-of-range');
      return undefined;
    }
    return pair;
  };
  const x = axis('x');
  const y = axis('y');
  return x && y ? { x, y } : undefined;
}

function readPaths(c: Checker, node: SrcNode): PathSpec[] | undefined {
  if (node.kind !== 'seq' || node.items.length === 0 || node.items.length > MAX_PATHS) {
    c.report(node.range, `paths must be a list of 1 to ${MAX_PATHS} optimizers, e.g. - {optimizer: adam, learningRate: 0.1}.`, 'wrong-type');
    return undefined;
  }
  const paths = node.items.map((item) => readPath(c, item));
  return paths.every((p): p is PathSpec => p !== undefined) ? paths : undefined;
}

function readPath(c: Checker, node: SrcNode): PathSpec | undefined {
  const entries = c.map(node, 'Each path');
  if (!entries) return undefined;
  c.keys(entries, PATH_KEYS, 'a path');
  const optNode = entry(node, 'optimizer')?.value;
  const lrNode = entry(node, 'learningRate')?.value;
  if (!optNode) c.report(node.range, `A path needs 'optimizer': one of ${OPTIMIZER_KINDS.join(', ')}.`, 'missing-key');
  if (!lrNode) c.report(node.range, "A path needs 'learningRate', e.g. learningRate: 0.1.", 'missing-key');
  const optimizer = optNode && c.oneOf(optNode, 'optimizer', OPTIMIZER_KINDS);
  const learningRate = lrNode && c.number(lrNode, 'learningRate', { above: 0, max: 1e6 });
  const spec: PathSpec | undefined = optimizer && learningRate !== undefined ? { optimizer, learningRate } : undefined;
  const option = (key: 'momentum' | 'decay' | 'beta1' | 'beta2' | 'epsilon' | 'initialAccumulatorValue', rule: { min?: number; above?: number; below?: number; max?: number }) => {
    const n = entry(node, key)?.value;
    const v = n && c.number(n, key, rule);
    if (spec && v !== undefined) spec[key] = v;
  };
  option('momentum', { min: 0, below: 1 });
  option('decay', { min: 0, below: 1 });
  option('beta1', { min: 0, below: 1 });
  option('beta2', { min: 0, below: 1 });
  option('epsilon', { above: 0, max: 1 });
  option('initialAccumulatorValue', { min: 0, max: 1e6 });
  return spec;
}
