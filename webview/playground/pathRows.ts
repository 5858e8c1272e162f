// The list of optimizers in the playground: one row per path (colour, optimizer, learning rate,
// remove). Reading the rows back gives PathSpecs, or undefined while a field does not parse.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { OPTIMIZER_KINDS, type OptimizerKind, type PathSpec } from '../../protocol/playground';
import { OPTIMIZER_LABELS } from '../../common/playground/optimizers';

export const MAX_ROWS = 12;

interface Row {
  element: HTMLElement;
  select: HTMLElement & { value: string };
  rate: HTMLElement & { value: string };
  /** settings the row does not show (momentum, betas ...) kept from the file */
  extra: Omit<PathSpec, 'optimizer' | 'learningRate'>;
}

export class PathRows {
  private rows: Row[] = [];

  constructor(private readonly container: HTMLElement, private readonly onChange: () => void) {}

  get count(): number {
    return this.rows.length;
  }

  set(paths: PathSpec[], colors: string[]): void {
    this.container.replaceChildren();
    this.rows = [];
    paths.forEach((p) => this.add(p));
    this.recolor(colors);
  }

  add(spec: PathSpec): void {
    if (this.rows.length >= MAX_ROWS) return;
    const element = document.createElement('div');
    element.className = 'path-row';
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    const select = document.createElement('vscode-single-select') as Row['select'];
    select.className = 'optimizer';
    for (const kind of OPTIMIZER_KINDS) {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', kind);
      option.textContent = OPTIMIZER_LABELS[kind];
      if (kind === spec.optimizer) option.setAttribute('selected', '');
      select.append(option);
    }
    const label = document.createElement('label');
    label.textContent = 'learning rate ';
    const rate = document.createElement('vscode-textfield') as Row['rate'];
    rate.className = 'num rate';
    rate.value = String(spec.learningRate);
    label.append(rate);
    const remove = document.createElement('vscode-button');
    remove.setAttribute('secondary', '');
    remove.setAttribute('aria-label', 'Remove this optimizer');
    remove.textContent = '✕';
    const { optimizer: _o, learningRate: _l, ...extra } = spec;
    const row: Row = { element, select, rate, extra };
    remove.addEventListener('click', () => {
      if (this.rows.length <= 1) return;
      this.rows = this.rows.filter((r) => r !== row);
      element.remove();
      this.onChange();
    });
    select.addEventListener('change', () => {
      row.extra = {}; // momentum of a momentum row is not meant for an RMSprop row
      this.onChange();
    });
    rate.addEventListener('input', () => this.onChange());
    element.append(swatch, select, label, remove);
    this.container.append(element);
    this.rows.push(row);
  }

  recolor(colors: string[]): void {
    this.rows.forEach((r, i) => {
      const swatch = r.element.querySelector<HTMLElement>('.swatch');
      if (swatch) swatch.style.backgroundColor = colors[i % colors.length] as string;
    });
  }

  /** The paths as the rows say, or undefined (with the bad field marked) if a rate is not a positive number. */
  read(): PathSpec[] | undefined {
    let ok = true;
    const paths = this.rows.map((r) => {
      const lr = Number(r.rate.value);
      const valid = r.rate.value.trim() !== '' && Number.isFinite(lr) && lr > 0 && lr <= 1e6;
      r.rate.toggleAttribute('invalid', !valid);
      if (!valid) ok = false;
      const optimizer = (OPTIMIZER_KINDS as readonly string[]).includes(r.select.value) ? (r.select.value as OptimizerKind) : 'sgd';
      return { optimizer, learningRate: lr, ...r.extra };
    });
    return ok ? paths : undefined;
  }
}
