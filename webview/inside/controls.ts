// Small DOM helpers shared by the inside views. Text only ever goes in as textContent.
import type { StatsRecord } from '../../protocol/stats';

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A slider over the statistics records that stays on the newest while it is there. */
export class RecordSlider {
  readonly root = el('div', { class: 'slider' });
  private readonly input = el('input', { type: 'range', min: '0', max: '0', value: '0', id: 'epoch-slider', 'aria-label': 'statistics at epoch' });
  private readonly label = el('span', { class: 'slider-label' });
  private follow = true;

  constructor(onChange: () => void) {
    this.root.append(el('span', {}, 'epoch'), this.input, this.label);
    this.input.addEventListener('input', () => {
      this.follow = Number(this.input.value) === Number(this.input.max);
      onChange();
    });
  }

  /** Index of the record shown, after the records changed. */
  update(records: StatsRecord[]): number {
    const max = Math.max(0, records.length - 1);
    this.input.max = String(max);
    if (this.follow || Number(this.input.value) > max) this.input.value = String(max);
    const r = records[Number(this.input.value)];
    this.label.textContent = r ? `${r.when === 'init' ? 'init' : r.epoch} · step ${r.step}` : '–';
    return Number(this.input.value);
  }
}

/** A <select> whose options are rebuilt only when the list changes (the choice survives updates). */
export class Picker {
  readonly root = el('select');
  private key = '';

  constructor(label: string, onChange: () => void) {
    this.root.setAttribute('aria-label', label);
    this.root.addEventListener('change', onChange);
  }

  update(options: { value: string; label: string }[]): string {
    const key = options.map((o) => o.value).join('\n');
    if (key !== this.key) {
      const keep = this.root.value;
      this.root.replaceChildren(...options.map((o) => el('option', { value: o.value }, o.label)));
      if (options.some((o) => o.value === keep)) this.root.value = keep;
      this.key = key;
    }
    return this.root.value;
  }
}

export function table(headers: string[], rows: (string | number)[][]): HTMLTableElement {
  const t = el('table');
  const head = el('tr');
  headers.forEach((h) => head.append(el('th', {}, h)));
  t.append(head);
  for (const r of rows) {
    const tr = el('tr');
    r.forEach((c) => tr.append(el('td', {}, String(c))));
    t.append(tr);
  }
  return t;
}
