// The chain-rule tab: the computational graph of f drawn as SVG, inputs on the left and f on the
// right. Above each node its forward value, below it df/d(node) from the backward pass; on each edge
// the gradient that flows back along it. All text goes in through textContent.
import { fmt, gateRule, type Graph, type GraphNode } from '../../common/playground/autodiff';

const SVG = 'http://www.w3.org/2000/svg';
const COL = 135;
const ROW = 96;
const BOX_W = 64;
const BOX_H = 30;
const PAD = 44;

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>, text?: string): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Where each node goes: column = its level, rows in order of appearance within a column. */
function layout(graph: Graph): Map<number, { x: number; y: number }> {
  const rows = new Map<number, number>();
  const pos = new Map<number, { x: number; y: number }>();
  for (const n of graph.nodes) {
    const row = rows.get(n.level) ?? 0;
    rows.set(n.level, row + 1);
    pos.set(n.id, { x: PAD + n.level * COL, y: PAD + row * ROW });
  }
  // Centre each column vertically against the tallest one.
  const tallest = Math.max(...rows.values());
  for (const n of graph.nodes) {
    const p = pos.get(n.id) as { x: number; y: number };
    p.y += ((tallest - (rows.get(n.level) ?? 1)) * ROW) / 2;
  }
  return pos;
}

export function drawGraph(svg: SVGSVGElement, graph: Graph): void {
  svg.replaceChildren();
  const pos = layout(graph);
  const levels = Math.max(...graph.nodes.map((n) => n.level)) + 1;
  const rows = Math.max(...[...pos.values()].map((p) => p.y)) + BOX_H + PAD;
  const width = PAD * 2 + (levels - 1) * COL + BOX_W;
  // viewBox lets CSS scale a deep graph down to the panel's width.
  svg.setAttribute('viewBox', `0 0 ${width} ${rows + 10}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(rows + 10));
  svg.append(el('defs', {}));
  (svg.firstChild as SVGDefsElement).append(arrowMarker());

  for (const edge of graph.edges) {
    const a = pos.get(edge.from) as { x: number; y: number };
    const b = pos.get(edge.to) as { x: number; y: number };
    const g = el('g', { class: 'edge', 'data-from': edge.from, 'data-to': edge.to, 'data-grad': edge.grad });
    g.append(el('line', { x1: a.x + BOX_W, y1: a.y + BOX_H / 2, x2: b.x, y2: b.y + BOX_H / 2, 'marker-end': 'url(#arrow)' }));
    const mx = (a.x + BOX_W + b.x) / 2;
    const my = (a.y + b.y + BOX_H) / 2;
    g.append(el('text', { x: mx, y: my + 16, class: 'grad', 'text-anchor': 'middle' }, fmt(edge.grad)));
    svg.append(g);
  }
  for (const node of graph.nodes) svg.append(nodeGroup(node, pos.get(node.id) as { x: number; y: number }));
}

function nodeGroup(node: GraphNode, p: { x: number; y: number }): SVGGElement {
  const g = el('g', { class: `node ${node.kind}`, 'data-name': node.name, 'data-value': node.value, 'data-grad': node.grad });
  g.append(el('rect', { x: p.x, y: p.y, width: BOX_W, height: BOX_H, rx: node.kind === 'gate' ? 15 : 4 }));
  g.append(el('text', { x: p.x + BOX_W / 2, y: p.y + BOX_H / 2 + 5, class: 'label', 'text-anchor': 'middle' }, node.kind === 'gate' ? node.label : node.name));
  const valueText = node.kind === 'constant' ? fmt(node.value) : `${node.name} = ${fmt(node.value)}`;
  g.append(el('text', { x: p.x + BOX_W / 2, y: p.y - 7, class: 'value', 'text-anchor': 'middle' }, valueText));
  const gradText = node.kind === 'constant' ? '' : `∂f/∂${node.name} = ${fmt(node.grad)}`;
  g.append(el('text', { x: p.x + BOX_W / 2, y: p.y + BOX_H + 15, class: 'grad', 'text-anchor': 'middle' }, gradText));
  return g;
}

function arrowMarker(): SVGMarkerElement {
  const m = el('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  m.append(el('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }));
  return m;
}

/** The gradients of the inputs ("df/dx = -4") and the rule each gate applied, as list items. */
export function describeGradients(graph: Graph, gradsLine: HTMLElement, rules: HTMLUListElement): void {
  gradsLine.replaceChildren();
  const inputs = graph.nodes.filter((n) => n.kind === 'variable');
  const out = graph.nodes[graph.output] as GraphNode;
  const head = document.createElement('span');
  head.textContent = `f = ${fmt(out.value)};  `;
  gradsLine.append(head);
  inputs.forEach((n, i) => {
    const s = document.createElement('span');
    s.dataset.var = n.name;
    s.dataset.grad = String(n.grad);
    s.textContent = `df/d${n.name} = ${fmt(n.grad)}${i < inputs.length - 1 ? ',  ' : ''}`;
    gradsLine.append(s);
  });
  rules.replaceChildren();
  const seen = new Set<string>();
  for (const n of graph.nodes) {
    const rule = n.kind === 'gate' ? gateRule(n, graph.nodes) : undefined;
    if (!rule) continue;
    seen.add(n.op ?? '');
    const li = document.createElement('li');
    li.textContent = `${n.name}: ${rule}`;
    rules.append(li);
  }
  const general: [string, string][] = [
    ['+', 'add gate distributes: it passes its gradient unchanged to every input.'],
    ['*', 'mul gate switches: each input gets the gradient times the other input’s value.'],
    ['max', 'max gate routes: the whole gradient goes to the larger input, 0 to the others (try max(x, y) * z).'],
  ];
  for (const [op, text] of general) {
    if (seen.has(op)) continue;
    const li = document.createElement('li');
    li.className = 'general';
    li.textContent = text;
    rules.append(li);
  }
}
