// Weights view: for one layer and one moment (epoch slider), the kernel histogram with the target
// distribution for its fan-in/fan-out drawn over it, measured vs target std, the bias and the
// activation histograms; below, the activation spread by depth and a table of every layer.
import type { LayerStats } from '../../protocol/stats';
import type { ChartTheme } from '../shared/theme';
import { el, Picker, RecordSlider, table } from './controls';
import { drawHistogram, drawLogLines, fmt, palette, surface } from './draw';
import type { InsideData, InsideViewRenderer } from './view';

const RULES = { glorot: 'Glorot: Var = 2/(fan-in + fan-out)', he: 'He: Var = 2/fan-in', lecun: 'LeCun: Var = 1/fan-in' };

export class WeightsView implements InsideViewRenderer {
  private readonly slider: RecordSlider;
  private readonly picker: Picker;
  private readonly info = el('p', { class: 'info', id: 'weights-info' });
  private readonly kernel = el('canvas', { id: 'kernel-hist', 'aria-label': 'Weight histogram with its target distribution' });
  private readonly bias = el('canvas', { id: 'bias-hist', 'aria-label': 'Bias histogram' });
  private readonly act = el('canvas', { id: 'act-hist', 'aria-label': 'Activation histogram' });
  private readonly spread = el('canvas', { id: 'act-spread', 'aria-label': 'Activation std by depth' });
  private readonly tableBox = el('div', { class: 'table-box' });
  private data: InsideData | undefined;

  constructor(root: HTMLElement, private readonly theme: () => ChartTheme) {
    this.slider = new RecordSlider(() => this.draw());
    this.picker = new Picker('layer', () => this.draw());
    const bar = el('div', { class: 'toolbar' });
    bar.append(el('span', {}, 'layer'), this.picker.root, this.slider.root);
    const grid = el('div', { class: 'grid2' });
    grid.append(figure('Weights (kernel) and target', this.kernel), figure('Activations on the probe batch', this.act), figure('Biases', this.bias), figure('Activation std by depth (log)', this.spread));
    root.append(bar, this.info, grid, el('h2', {}, 'All layers'), this.tableBox);
  }

  update(data: InsideData): void {
    this.data = data;
    this.draw();
  }

  private draw(): void {
    const data = this.data;
    if (!data) return;
    const at = this.slider.update(data.records);
    const record = data.records[at];
    const layers = record?.layers ?? [];
    const id = this.picker.update(layers.filter((l) => l.kernel || l.act).map((l) => ({ value: l.id, label: `${l.id} (${l.kind})` })));
    const layer = layers.find((l) => l.id === id);
    const theme = this.theme();
    let drawn = 0;
    if (layer?.kernel) {
      const t = layer.target;
      drawHistogram(surface(this.kernel, 190), theme, layer.kernel.hist, theme.train, t ? { std: t.std, count: layer.kernel.count, label: `${t.rule} target σ=${fmt(t.std)}` } : undefined);
      drawn++;
    } else surface(this.kernel, 190);
    if (layer?.bias) {
      drawHistogram(surface(this.bias, 140), theme, layer.bias.hist, theme.train);
      drawn++;
    } else surface(this.bias, 140);
    if (layer?.act) {
      drawHistogram(surface(this.act, 190), theme, layer.act.hist, palette(2, 6));
      drawn++;
    } else surface(this.act, 190);
    const withAct = layers.filter((l) => l.act);
    drawLogLines(surface(this.spread, 140), theme, [{ label: 'act std', color: theme.val, points: withAct.map((l, i) => [i + 1, l.act?.std ?? 0]) }], 'std');
    this.info.textContent = layer ? describe(layer) : 'No statistics yet: they arrive at the start of training and after every epoch.';
    this.tableBox.replaceChildren(table(
      ['layer', 'kind', 'w mean', 'w std', 'target std', 'w min', 'w max', 'near 0', 'NaN/Inf', 'act std', 'dead', 'saturated'],
      layers.map((l) => [l.id, l.kind, fmt(l.kernel?.mean), fmt(l.kernel?.std), fmt(l.target?.std), fmt(l.kernel?.min), fmt(l.kernel?.max),
        l.kernel?.nearZero !== undefined ? pct(l.kernel.nearZero / Math.max(1, l.kernel.count)) : '–', l.kernel ? l.kernel.nan + l.kernel.inf : '–', fmt(l.act?.std), pct(l.dead), pct(l.saturated)]),
    ));
    document.body.dataset.histograms = String(Number(document.body.dataset.histograms ?? '0') + drawn);
  }
}

function describe(l: LayerStats): string {
  if (!l.kernel || !l.target) return `${l.id}: no weights (${l.kind}); activation std ${fmt(l.act?.std)}.`;
  const t = l.target;
  const own = t.initializerStd !== undefined ? `; ${t.initializer} gives σ=${fmt(t.initializerStd)}` : `; initializer ${t.initializer}`;
  return `${l.id}: measured σ=${fmt(l.kernel.std)} · target σ=${fmt(t.std)} for ${l.activation ?? 'linear'} (${RULES[t.rule]}, fan-in ${l.fanIn}, fan-out ${l.fanOut})${own}.`;
}

const pct = (f: number | undefined): string => (f === undefined ? '–' : `${Math.round(f * 100)}%`);

function figure(caption: string, canvas: HTMLCanvasElement): HTMLElement {
  const f = el('figure');
  f.append(canvas, el('figcaption', {}, caption));
  return f;
}
