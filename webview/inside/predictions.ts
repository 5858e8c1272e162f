// Predictions view: the decision boundary over the input plane for 2-D inputs (TensorFlow
// Playground style) with the validation points on it, the prediction curve for 1-D regression,
// and the confusion matrix with per-class accuracy for classification.
import type { PredictionStats } from '../../protocol/stats';
import type { ChartTheme } from '../shared/theme';
import { el, RecordSlider, table } from './controls';
import { fmt, palette, surface, type Surface } from './draw';
import type { InsideData, InsideViewRenderer } from './view';

export class PredictionsView implements InsideViewRenderer {
  private readonly slider: RecordSlider;
  private readonly plane = el('canvas', { id: 'boundary', 'aria-label': 'Decision boundary' });
  private readonly info = el('p', { class: 'info' });
  private readonly tableBox = el('div', { class: 'table-box' });
  private readonly confusionHeading = el('h2', {}, 'Confusion matrix (rows: true class, columns: predicted)');
  private data: InsideData | undefined;

  constructor(root: HTMLElement, private readonly theme: () => ChartTheme) {
    this.slider = new RecordSlider(() => this.draw());
    const bar = el('div', { class: 'toolbar' });
    bar.append(this.slider.root);
    root.append(bar, this.info, this.plane, this.confusionHeading, this.tableBox);
  }

  update(data: InsideData): void {
    this.data = data;
    this.draw();
  }

  private draw(): void {
    if (!this.data) return;
    const p = this.data.records[this.slider.update(this.data.records)]?.predictions;
    // The plane shows only when there is a boundary or a curve to draw, the heading only over a matrix.
    const plane = Boolean((p?.grid || p?.curve) && p.points);
    this.plane.hidden = !plane;
    this.confusionHeading.hidden = !p?.confusion;
    if (p?.grid && p.points) this.boundary(surface(this.plane, 320), p);
    else if (p?.curve && p.points) this.curve(surface(this.plane, 260), p);
    this.info.textContent = p?.grid ? 'Background: the predicted class (brighter = more confident); dots: validation points coloured by their true class.'
      : p?.curve ? 'Line: the prediction over the input range; dots: validation points.' : p?.confusion ? '' : 'Predictions are drawn for 2-D and 1-D inputs and for classification.';
    this.tableBox.replaceChildren(...(p?.confusion ? [confusionTable(p.confusion)] : []));
    document.body.dataset.predictions = p ? '1' : '0';
  }

  private boundary(s: Surface, p: PredictionStats): void {
    const g = p.grid as NonNullable<PredictionStats['grid']>;
    const size = Math.min(s.width, s.height);
    const cell = size / g.n;
    const k = Math.max(2, g.classes);
    for (let r = 0; r < g.n; r++) {
      for (let c = 0; c < g.n; c++) {
        const v = g.values[r * g.n + c] as number;
        const [cls, conf] = g.classes === 1 ? [v > 0.5 ? 1 : 0, Math.abs(v - 0.5) * 2] : [Math.floor(v), (v % 1) || 0];
        s.ctx.fillStyle = palette(cls, k, 0.15 + 0.6 * conf);
        // Row 0 is the lowest y: draw it at the bottom.
        s.ctx.fillRect(c * cell, size - (r + 1) * cell, cell + 0.5, cell + 0.5);
      }
    }
    const pts = p.points as NonNullable<PredictionStats['points']>;
    pts.x.forEach((xy, i) => {
      const px = (((xy[0] as number) - g.x0) / (g.x1 - g.x0)) * size;
      const py = size - (((xy[1] as number) - g.y0) / (g.y1 - g.y0)) * size;
      s.ctx.fillStyle = palette(Math.round(pts.label[i] as number), k);
      s.ctx.strokeStyle = this.theme().foreground;
      s.ctx.beginPath();
      s.ctx.arc(px, py, 3, 0, Math.PI * 2);
      s.ctx.fill();
      s.ctx.stroke();
    });
  }

  private curve(s: Surface, p: PredictionStats): void {
    const c = p.curve as NonNullable<PredictionStats['curve']>;
    const pts = p.points as NonNullable<PredictionStats['points']>;
    const ys = [...c.y, ...pts.label];
    const [y0, y1] = [Math.min(...ys), Math.max(...ys) + 1e-9];
    const [x0, x1] = [c.x[0] as number, (c.x[c.x.length - 1] as number) + 1e-9];
    const X = (x: number): number => 30 + ((x - x0) / (x1 - x0)) * (s.width - 40);
    const Y = (y: number): number => s.height - 20 - ((y - y0) / (y1 - y0)) * (s.height - 30);
    s.ctx.fillStyle = this.theme().val;
    pts.x.forEach((x, i) => s.ctx.fillRect(X(x[0] as number) - 1.5, Y(pts.label[i] as number) - 1.5, 3, 3));
    s.ctx.strokeStyle = this.theme().train;
    s.ctx.lineWidth = 2;
    s.ctx.beginPath();
    c.x.forEach((x, i) => (i ? s.ctx.lineTo(X(x), Y(c.y[i] as number)) : s.ctx.moveTo(X(x), Y(c.y[i] as number))));
    s.ctx.stroke();
    s.ctx.fillStyle = this.theme().foreground;
    s.ctx.fillText(`${fmt(y0)} … ${fmt(y1)}`, 2, 12);
  }
}

function confusionTable(m: number[][]): HTMLElement {
  const max = Math.max(1, ...m.flat());
  const t = table(['true \\ predicted', ...m.map((_, i) => String(i)), 'accuracy'], m.map((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    return [String(i), ...row, total ? `${Math.round(((row[i] ?? 0) / total) * 100)}%` : '–'];
  }));
  // Shade the count cells by size (CSSOM, allowed by the CSP, unlike style attributes).
  t.querySelectorAll('tr').forEach((tr, r) => {
    if (r === 0) return;
    tr.querySelectorAll('td').forEach((td, c) => {
      if (c === 0 || c > m.length) return;
      const v = m[r - 1]?.[c - 1] ?? 0;
      td.style.backgroundColor = `rgba(55, 148, 255, ${(0.65 * v) / max})`;
    });
  });
  t.id = 'confusion';
  return t;
}
