// The chain-rule tab: f (default the course's (x + y) z) and the values of x, y, z, edited in the
// panel; the graph with forward values and backward gradients is redrawn on every change.
import type { PlaygroundPanelState } from '../../protocol/playground';
import { buildGraph } from '../../common/playground/autodiff';
import { parseExpression } from '../../common/playground/expression';
import { describeGradients, drawGraph } from './chainView';
import { $, field, showExprError } from './dom';

type ChainState = NonNullable<PlaygroundPanelState['chain']>;
const VARIABLES = ['x', 'y', 'z'] as const;
/** The course's backpropagation example. */
const SEED: ChainState = { expression: '(x + y) * z', values: { x: -2, y: 5, z: -4 } };

export class ChainTab {
  private state: ChainState;
  private readonly expr = field('chain-expr');
  private readonly inputs = VARIABLES.map((v) => field(`chain-${v}`));

  constructor(saved: ChainState | undefined, private readonly save: (s: ChainState) => void) {
    const ok = saved && typeof saved.expression === 'string' && saved.expression.length <= 400 && VARIABLES.every((v) => Number.isFinite(saved.values?.[v]));
    this.state = ok ? saved : SEED;
    this.expr.value = this.state.expression;
    this.inputs.forEach((f, i) => (f.value = String(this.state.values[VARIABLES[i] as string])));
    this.expr.addEventListener('input', () => this.changed());
    this.inputs.forEach((f) => f.addEventListener('input', () => this.changed()));
  }

  private changed(): void {
    const values: Record<string, number> = {};
    let ok = true;
    this.inputs.forEach((f, i) => {
      const v = Number(f.value);
      const valid = f.value.trim() !== '' && Number.isFinite(v);
      f.toggleAttribute('invalid', !valid);
      if (valid) values[VARIABLES[i] as string] = v;
      else ok = false;
    });
    if (!ok) return;
    this.state = { expression: this.expr.value, values };
    this.save(this.state);
    this.render();
  }

  render(): void {
    const parsed = parseExpression(this.state.expression, VARIABLES);
    showExprError($('chain-error'), parsed.ok ? undefined : parsed.error, this.state.expression);
    if (!parsed.ok) return;
    const graph = buildGraph(parsed.expr, this.state.values);
    drawGraph($('chain-graph') as unknown as SVGSVGElement, graph);
    describeGradients(graph, $('chain-grads'), $<HTMLUListElement>('gate-rules'));
    document.body.dataset.chainReady = '1';
  }
}
