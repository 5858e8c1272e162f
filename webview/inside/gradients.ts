// Gradient flow view: each layer's gradient norm over time (log scale), the update/weight ratio,
// and a verdict per layer at the newest statistics.
import type { LayerStats } from '../../protocol/stats';
import type { ChartTheme } from '../shared/theme';
import { el, table } from './controls';
import { drawLogLines, fmt, palette, surface, type Series } from './draw';
import type { InsideData, InsideViewRenderer } from './view';

export class GradientsView implements InsideViewRenderer {
  private readonly norms = el('canvas', { id: 'grad-norms', 'aria-label': 'Gradient norm per layer over steps' });
  private readonly ratios = el('canvas', { id: 'update-ratios', 'aria-label': 'Update to weight ratio per layer over steps' });
  private readonly tableBox = el('div', { class: 'table-box' });

  constructor(root: HTMLElement, private readonly theme: () => ChartTheme) {
    root.append(el('h2', {}, 'Gradient norm per layer (log scale, on a fixed sampled batch)'), this.norms,
      el('h2', {}, 'Update / weight ratio per step (healthy around 1e-3)'), this.ratios, el('h2', {}, 'Verdict'), this.tableBox);
  }

  update(data: InsideData): void {
    const theme = this.theme();
    const ids = [...new Set(data.records.flatMap((r) => r.layers.filter((l) => l.gradNorm !== undefined).map((l) => l.id)))];
    const series = (pick: (l: LayerStats) => number | undefined): Series[] => ids.map((id, i) => ({
      label: id, color: palette(i, ids.length),
      points: data.records.flatMap((r) => {
        const v = pick(r.layers.find((l) => l.id === id) ?? ({} as LayerStats));
        return v === undefined ? [] : [[r.step, v] as [number, number]];
      }),
    }));
    drawLogLines(surface(this.norms, 220), theme, series((l) => l.gradNorm), '‖grad‖');
    drawLogLines(surface(this.ratios, 180), theme, series((l) => l.updateRatio), 'Δw/w');
    const latest = data.records[data.records.length - 1];
    const layers = latest?.layers.filter((l) => l.gradRms !== undefined) ?? [];
    const ref = layers[layers.length - 1]?.gradRms ?? 0;
    this.tableBox.replaceChildren(table(
      ['layer', '‖grad‖', 'grad per weight', 'vs output layer', 'update/weight', 'verdict'],
      layers.map((l) => {
        const ratio = ref > 0 ? (l.gradRms as number) / ref : NaN;
        return [l.id, fmt(l.gradNorm), fmt(l.gradRms), fmt(ratio), fmt(l.updateRatio), verdict(ratio, l.updateRatio)];
      }),
    ));
    document.body.dataset.gradients = String(ids.length);
  }
}

function verdict(ratio: number, update: number | undefined): string {
  if (!Number.isFinite(ratio)) return 'no gradient';
  if (ratio < 1e-3) return 'vanishing';
  if (ratio > 1e3) return 'exploding';
  if (update !== undefined && update < 1e-5) return 'barely moving';
  if (update !== undefined && update > 1e-1) return 'moving too fast';
  return 'healthy';
}
