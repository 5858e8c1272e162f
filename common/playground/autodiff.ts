// A tiny reverse-mode automatic differentiation over a parsed expression, for the chain-rule view:
// a forward pass computes every node's value, a backward pass sends df/d(node) from the output to
// the inputs, each edge multiplying by its gate's local derivative (the chain rule). A variable used
// twice is one node whose gradient is the sum of what flows back along both edges.
import type { Expr } from './expression';
import { applyOp, childrenOf, localPartials, opOf, type Operation } from './evaluate';

export interface GraphNode {
  id: number;
  kind: 'variable' | 'constant' | 'gate';
  /** x, 3, +, *, max, sin ... */
  label: string;
  /** what the view calls the node's value: the variable, the constant, q, r, ... for gates, f for the output */
  name: string;
  op?: Operation;
  inputs: number[];
  value: number;
  /** d(output)/d(this node) */
  grad: number;
  /** longest distance from an input: the column the view draws it in */
  level: number;
}

export interface GraphEdge {
  from: number;
  to: number;
  /** what flows back along the edge: the gate's gradient times its local derivative for this input */
  grad: number;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  output: number;
}

const OP_LABEL: Partial<Record<Operation, string>> = { neg: '−', '*': '×', '-': '−', '/': '÷' };

export function buildGraph(expr: Expr, values: Record<string, number>): Graph {
  const nodes: GraphNode[] = [];
  const variables = new Map<string, GraphNode>();
  const add = (n: Omit<GraphNode, 'id' | 'grad' | 'name'>): GraphNode => {
    const node = { ...n, id: nodes.length, grad: 0, name: n.kind === 'gate' ? '' : n.label };
    nodes.push(node);
    return node;
  };
  // Forward pass: children before parents, so `nodes` ends up in topological order.
  const forward = (e: Expr): GraphNode => {
    if (e.kind === 'num') return add({ kind: 'constant', label: String(e.value), inputs: [], value: e.value, level: 0 });
    if (e.kind === 'var') {
      const known = variables.get(e.name);
      if (known) return known;
      const v = add({ kind: 'variable', label: e.name, inputs: [], value: values[e.name] ?? NaN, level: 0 });
      variables.set(e.name, v);
      return v;
    }
    const op = opOf(e) as Operation;
    const kids = childrenOf(e).map(forward);
    const [a, b] = kids;
    const value = applyOp(op, (a as GraphNode).value, b?.value ?? 0);
    return add({ kind: 'gate', label: OP_LABEL[op] ?? op, op, inputs: kids.map((k) => k.id), value, level: 1 + Math.max(...kids.map((k) => k.level)) });
  };
  const out = forward(expr);
  // Intermediate results get the seed's names: q = x + y, then r, s, ...; the output is f.
  const names = ['q', 'r', 's', 't', 'u', 'v', 'w', 'p', 'm', 'n'];
  let k = 0;
  for (const n of nodes) if (n.kind === 'gate') n.name = n === out ? 'f' : names[k++] ?? `q${k}`;

  // Backward pass, in reverse topological order: every gate is finished before its inputs are read.
  out.grad = 1;
  const edges: GraphEdge[] = [];
  for (let id = nodes.length - 1; id >= 0; id--) {
    const node = nodes[id] as GraphNode;
    if (node.kind !== 'gate') continue;
    const [a, b] = node.inputs.map((i) => nodes[i] as GraphNode);
    const partials = localPartials(node.op as Operation, (a as GraphNode).value, b?.value ?? 0, node.value);
    node.inputs.forEach((input, k) => {
      const grad = node.grad * (partials[k] as number);
      (nodes[input] as GraphNode).grad += grad;
      edges.push({ from: input, to: node.id, grad });
    });
  }
  return { nodes, edges, output: out.id };
}

/** How a gate passes the gradient back (the seed's "patterns in backward flow"), for this gate's numbers. */
export function gateRule(node: GraphNode, nodes: readonly GraphNode[]): string | undefined {
  const [a, b] = node.inputs.map((i) => nodes[i] as GraphNode);
  const g = fmt(node.grad);
  switch (node.op) {
    case '+':
      return `add gate distributes: both inputs get the gradient ${g} unchanged.`;
    case '*':
      return a && b ? `mul gate switches: each input gets ${g} times the other input (${g} × ${fmt(b.value)} to ${a.name}, ${g} × ${fmt(a.value)} to ${b.name}).` : undefined;
    case 'max':
      return a && b ? `max gate routes: the larger input (${a.value >= b.value ? fmt(a.value) : fmt(b.value)}) gets all of ${g}, the other gets 0.` : undefined;
    default:
      return undefined;
  }
}

export function fmt(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}
