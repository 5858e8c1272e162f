// The contour plot: the surface as a shaded map with contour lines (drawn once per surface into an
// offscreen canvas), and over it each optimizer's path up to the current step.
import type { ViewBox } from '../../protocol/playground';
import { contourLevels, contours, sampleGrid, type ContourLevel, type Grid } from '../../common/playground/contour';
import type { OptimizerPath } from '../../common/playground/paths';

/**
 * Samples per side. Rosenbrock's valley is narrower than a cell of a 120-sample grid where its arm
 * leaves the top left, so the tips of its low contour tubes broke off into stray islands there.
 */
const GRID = 240;
/** Canvas coordinates far outside the plot are clamped: a diverging path can reach 1e99. */
const FAR = 1e5;

export interface PlotColors {
  foreground: string;
  background: string;
  paths: string[];
}

export interface DrawnCounts {
  /** points drawn per path at the current step */
  points: number[];
  segments: number;
}

export class ContourPlot {
  private readonly ctx: CanvasRenderingContext2D;
  private backdrop: HTMLCanvasElement | undefined;
  private grid: Grid | undefined;
  private lines: ContourLevel[] = [];
  private view: ViewBox = { x: [-1, 1], y: [-1, 1] };
  private minima: [number, number][] = [];

  constructor(private readonly canvas: HTMLCanvasElement, private colors: PlotColors) {
    this.ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  }

  setColors(colors: PlotColors): void {
    this.colors = colors;
    this.backdrop = undefined;
  }

  /** A new surface or view: sample it and trace its contour lines. */
  setSurface(f: (x: number, y: number) => number, view: ViewBox, minima: [number, number][]): void {
    this.view = view;
    this.minima = minima;
    this.grid = sampleGrid(f, view, GRID);
    this.lines = contours(this.grid, contourLevels(this.grid));
    this.backdrop = undefined;
  }

  get segmentCount(): number {
    return this.lines.reduce((n, l) => n + l.segments.length / 4, 0);
  }

  private resize(): { w: number; h: number } {
    const ratio = window.devicePixelRatio || 1;
    const w = Math.max(200, this.canvas.clientWidth);
    const h = Math.max(200, this.canvas.clientHeight);
    if (this.canvas.width !== Math.round(w * ratio) || this.canvas.height !== Math.round(h * ratio)) {
      this.canvas.width = Math.round(w * ratio);
      this.canvas.height = Math.round(h * ratio);
      this.backdrop = undefined;
    }
    this.ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { w, h };
  }

  private toPx(w: number, h: number) {
    const { x, y } = this.view;
    const clamp = (v: number) => Math.max(-FAR, Math.min(FAR, v));
    return (px: number, py: number): [number, number] => [clamp(((px - x[0]) / (x[1] - x[0])) * w), clamp(h - ((py - y[0]) / (y[1] - y[0])) * h)];
  }

  private drawBackdrop(w: number, h: number): HTMLCanvasElement {
    const ratio = window.devicePixelRatio || 1;
    const off = document.createElement('canvas');
    off.width = Math.round(w * ratio);
    off.height = Math.round(h * ratio);
    const ctx = off.getContext('2d') as CanvasRenderingContext2D;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const grid = this.grid;
    if (grid && grid.max > grid.min) {
      // Shade by log(loss - min): low is dark blue, high is pale; NaN cells stay empty.
      const img = new ImageData(grid.n, grid.n);
      const scale = Math.log1p((grid.max - grid.min) / ((grid.max - grid.min) * 1e-3));
      for (let j = 0; j < grid.n; j++) {
        for (let i = 0; i < grid.n; i++) {
          const v = grid.values[j * grid.n + i] as number;
          if (!Number.isFinite(v)) continue;
          const t = Math.log1p((v - grid.min) / ((grid.max - grid.min) * 1e-3)) / scale;
          const o = ((grid.n - 1 - j) * grid.n + i) * 4;
          img.data[o] = 40 + 180 * t;
          img.data[o + 1] = 70 + 120 * t;
          img.data[o + 2] = 140 + 60 * (1 - t);
          img.data[o + 3] = 90;
        }
      }
      const cells = document.createElement('canvas');
      cells.width = grid.n;
      cells.height = grid.n;
      (cells.getContext('2d') as CanvasRenderingContext2D).putImageData(img, 0, 0);
      ctx.imageSmoothingEnabled = true;
      ctx.drawImage(cells, 0, 0, w, h);
    }
    const px = this.toPx(w, h);
    ctx.strokeStyle = this.colors.foreground;
    ctx.globalAlpha = 0.35;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of this.lines) {
      const s = level.segments;
      for (let k = 0; k + 3 < s.length; k += 4) {
        ctx.moveTo(...px(s[k] as number, s[k + 1] as number));
        ctx.lineTo(...px(s[k + 2] as number, s[k + 3] as number));
      }
    }
    ctx.stroke();
    ctx.globalAlpha = 1;
    ctx.fillStyle = this.colors.foreground;
    ctx.font = '11px sans-serif';
    for (const [mx, my] of this.minima) {
      const [a, b] = px(mx, my);
      ctx.fillText('★', a - 5, b + 4);
    }
    const { x, y } = this.view;
    ctx.fillText(`x ${x[0]} … ${x[1]}`, 6, h - 6);
    ctx.fillText(`y ${y[0]} … ${y[1]}`, 6, 14);
    return off;
  }

  /** Draws the paths up to `step` (0 = only the start). */
  draw(paths: OptimizerPath[], step: number): DrawnCounts {
    const { w, h } = this.resize();
    this.backdrop ??= this.drawBackdrop(w, h);
    const ctx = this.ctx;
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(this.backdrop, 0, 0, w, h);
    const px = this.toPx(w, h);
    const points: number[] = [];
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, 0, w, h);
    ctx.clip();
    paths.forEach((path, i) => {
      const color = this.colors.paths[i % this.colors.paths.length] as string;
      const shown = path.points.slice(0, step + 1);
      points.push(shown.length);
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      // The first paths are drawn widest and each later one thinner on top, so a path that runs
      // under another (SGD along Rosenbrock's valley) still shows at both edges of it.
      ctx.lineWidth = pathWidth(i, paths.length);
      ctx.beginPath();
      shown.forEach(([a, b], k) => (k === 0 ? ctx.moveTo(...px(a, b)) : ctx.lineTo(...px(a, b))));
      ctx.stroke();
      for (const [a, b] of shown) {
        const [u, v] = px(a, b);
        ctx.beginPath();
        ctx.arc(u, v, Math.max(1.5, pathWidth(i, paths.length) / 2 + 1), 0, 2 * Math.PI);
        ctx.fill();
      }
      const last = shown[shown.length - 1];
      if (last) {
        const [u, v] = px(last[0], last[1]);
        ctx.beginPath();
        ctx.arc(u, v, 5, 0, 2 * Math.PI);
        ctx.lineWidth = 2;
        ctx.strokeStyle = this.colors.background;
        ctx.stroke();
        ctx.fill();
      }
    });
    ctx.restore();
    return { points, segments: this.segmentCount };
  }
}

/** From 5 px for the first path down to 1.5 px for the last. */
const pathWidth = (i: number, n: number): number => (n <= 1 ? 2 : 5 - (3.5 * i) / (n - 1));
