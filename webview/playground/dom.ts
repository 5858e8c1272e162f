// Small DOM helpers of the playground: element lookup, theme colours, the legend, and an
// expression error shown in place (the formula with the bad part marked), all as text nodes.
import type { ExprError } from '../../common/playground/expression';
import type { OptimizerPath } from '../../common/playground/paths';
import { OPTIMIZER_LABELS } from '../../common/playground/optimizers';
import type { PlotColors } from './plot';

export const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
export const field = (id: string): HTMLElement & { value: string } => $<HTMLElement & { value: string }>(id);

const css = (name: string, fallback: string): string => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

export function plotColors(): PlotColors {
  return {
    foreground: css('--vscode-foreground', '#cccccc'),
    background: css('--vscode-editor-background', '#1e1e1e'),
    paths: [
      css('--vscode-charts-orange', '#d18616'),
      css('--vscode-charts-green', '#89d185'),
      css('--vscode-charts-red', '#f14c4c'),
      css('--vscode-charts-purple', '#b180d7'),
      css('--vscode-charts-yellow', '#cca700'),
      css('--vscode-charts-blue', '#3794ff'),
    ],
  };
}

export function formatLoss(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

export function pathLabel(p: OptimizerPath): string {
  return `${OPTIMIZER_LABELS[p.spec.optimizer]}, lr ${p.spec.learningRate}`;
}

/** One line per path: its colour, optimizer and rate, the loss at this step and, at the end, how it went. */
export function renderLegend(list: HTMLUListElement, paths: OptimizerPath[], step: number, colors: string[]): void {
  list.replaceChildren();
  paths.forEach((p, i) => {
    const li = document.createElement('li');
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = colors[i % colors.length] as string;
    const k = Math.min(step, p.losses.length - 1);
    const loss = p.losses[k] as number;
    const last = p.losses[p.losses.length - 1] as number;
    const name = document.createElement('span');
    name.className = 'name';
    name.textContent = pathLabel(p);
    const value = document.createElement('span');
    value.className = 'loss';
    value.textContent = `loss ${formatLoss(loss)}`;
    li.append(swatch, name, value);
    const finished = step >= p.points.length - 1;
    if (finished) {
      const outcome = document.createElement('span');
      outcome.className = `outcome ${p.outcome}`;
      outcome.textContent = p.blewUpAt !== undefined ? `diverged: blew up at step ${p.blewUpAt}` : p.outcome === 'diverged' ? 'diverged' : p.outcome === 'converged' ? 'converged' : 'still moving';
      li.append(outcome);
    }
    li.dataset.finalLoss = String(last);
    li.dataset.outcome = p.outcome;
    li.dataset.points = String(p.points.length);
    list.append(li);
  });
}

/** Shows `error` under a formula field: the message, then the formula with the bad part marked. */
export function showExprError(target: HTMLElement, error: ExprError | undefined, text: string): void {
  target.replaceChildren();
  delete target.dataset.errorStart;
  if (!error) return;
  target.dataset.errorStart = String(error.start);
  const message = document.createElement('span');
  message.textContent = `${error.message} `;
  const code = document.createElement('code');
  const mark = document.createElement('mark');
  mark.textContent = text.slice(error.start, error.end) || ' ';
  code.append(document.createTextNode(text.slice(0, error.start)), mark, document.createTextNode(text.slice(error.end)));
  target.append(message, code);
}
