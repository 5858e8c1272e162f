// Canvas drawing for the inside panels: histograms with a target curve, log-scale lines, image
// grids and a decision-boundary heatmap. Plain 2-D canvas (no chart library): these pictures are
// simple and redraw on every new statistics part.
import type { Histogram } from '../../protocol/stats';
import type { ChartTheme } from '../shared/theme';

export interface Surface {
  ctx: CanvasRenderingContext2D;
  width: number;
  height: number;
}

/** Sizes the canvas to its CSS box at the screen's pixel ratio and clears it. */
export function surface(canvas: HTMLCanvasElement, cssHeight: number, minWidth = 100): Surface {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(minWidth, canvas.clientWidth || canvas.parentElement?.clientWidth || 300);
  canvas.style.height = `${cssHeight}px`;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(cssHeight * ratio);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, cssHeight);
  canvas.dataset.drawn = String(Number(canvas.dataset.drawn ?? '0') + 1);
  return { ctx, width, height: cssHeight };
}

/** A colour per layer (or class), spread around the hue circle. */
export const palette = (i: number, n: number, alpha = 1): string => `hsla(${Math.round((i * 360) / Math.max(1, n)) % 360}, 65%, 55%, ${alpha})`;

export const fmt = (v: number | undefined): string =>
  v === undefined || !Number.isFinite(v) ? String(v ?? '–') : Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : String(Number(v.toPrecision(3)));

const PAD = { left: 44, right: 8, top: 8, bottom: 20 };

function axes(s: Surface, theme: ChartTheme, x0: number, x1: number, yLabel: string, top = PAD.top): void {
  const { ctx, width, height } = s;
  ctx.strokeStyle = theme.grid;
  ctx.fillStyle = theme.foreground;
  ctx.font = `10px ${theme.font}`;
  ctx.beginPath();
  ctx.moveTo(PAD.left, top);
  ctx.lineTo(PAD.left, height - PAD.bottom);
  ctx.lineTo(width - PAD.right, height - PAD.bottom);
  ctx.stroke();
  ctx.textAlign = 'left';
  ctx.fillText(fmt(x0), PAD.left, height - 6);
  ctx.textAlign = 'right';
  ctx.fillText(fmt(x1), width - PAD.right, height - 6);
  ctx.save();
  ctx.translate(10, height / 2);
  ctx.rotate(-Math.PI / 2);
  ctx.textAlign = 'center';
  ctx.fillText(yLabel, 0, 0);
  ctx.restore();
}

export interface TargetCurve {
  std: number;
  label: string;
  /** Number of values the histogram holds, to scale the density to counts. */
  count: number;
}

/** Bars of a histogram; the target distribution N(0, std²) drawn over it in expected counts. */
export function drawHistogram(s: Surface, theme: ChartTheme, hist: Histogram, color: string, target?: TargetCurve): void {
  const bins = hist.counts.length;
  const width = (hist.hi - hist.lo) / bins || 1;
  let lo = hist.lo;
  let hi = hist.hi === hist.lo ? hist.lo + 1 : hist.hi;
  if (target && target.std > 0) {
    lo = Math.min(lo, -3 * target.std);
    hi = Math.max(hi, 3 * target.std);
  }
  const density = (x: number): number => (target ? (Math.exp(-0.5 * (x / target.std) ** 2) / (target.std * Math.sqrt(2 * Math.PI))) * target.count * width : 0);
  const peak = Math.max(1, ...hist.counts, target && target.std > 0 ? density(0) : 0);
  const { ctx, height } = s;
  // The target's label gets its own strip above the plot, where no bar can reach it.
  const top = target && target.std > 0 ? PAD.top + 14 : PAD.top;
  const plotW = s.width - PAD.left - PAD.right;
  const plotH = height - top - PAD.bottom;
  const xs = (v: number): number => PAD.left + ((v - lo) / (hi - lo)) * plotW;
  const ys = (c: number): number => height - PAD.bottom - (c / peak) * plotH;
  axes(s, theme, lo, hi, 'count', top);
  ctx.fillStyle = color;
  hist.counts.forEach((c, i) => {
    const a = xs(hist.lo + i * width);
    const b = hist.hi === hist.lo ? a + 3 : xs(hist.lo + (i + 1) * width);
    ctx.fillRect(a, ys(c), Math.max(1, b - a - 1), height - PAD.bottom - ys(c));
  });
  if (target && target.std > 0) {
    ctx.strokeStyle = theme.val;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i <= 120; i++) {
      const x = lo + ((hi - lo) * i) / 120;
      if (i === 0) ctx.moveTo(xs(x), ys(density(x)));
      else ctx.lineTo(xs(x), ys(density(x)));
    }
    ctx.stroke();
    ctx.lineWidth = 1;
    ctx.fillStyle = theme.val;
    ctx.textAlign = 'right';
    ctx.fillText(target.label, s.width - PAD.right, PAD.top + 8);
  }
}

export interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

/** Lines over x, log10 y (values <= 0 are skipped), with a legend. */
export function drawLogLines(s: Surface, theme: ChartTheme, series: Series[], yLabel: string): void {
  const all = series.flatMap((l) => l.points).filter(([, y]) => y > 0 && Number.isFinite(y));
  if (all.length === 0) return axes(s, theme, 0, 1, yLabel);
  const x0 = Math.min(...all.map((p) => p[0]));
  const x1 = Math.max(x0 + 1e-9, ...all.map((p) => p[0]));
  const l0 = Math.floor(Math.log10(Math.min(...all.map((p) => p[1]))));
  const l1 = Math.max(l0 + 1, Math.ceil(Math.log10(Math.max(...all.map((p) => p[1])))));
  const { ctx, height } = s;
  const legendW = 90;
  const plotW = s.width - PAD.left - PAD.right - legendW;
  const plotH = height - PAD.top - PAD.bottom;
  const xs = (v: number): number => PAD.left + ((v - x0) / (x1 - x0)) * plotW;
  const ys = (v: number): number => height - PAD.bottom - ((Math.log10(v) - l0) / (l1 - l0)) * plotH;
  axes(s, theme, x0, x1, yLabel);
  ctx.textAlign = 'right';
  for (let p = l0; p <= l1; p++) {
    ctx.strokeStyle = theme.grid;
    ctx.beginPath();
    ctx.moveTo(PAD.left, ys(10 ** p));
    ctx.lineTo(PAD.left + plotW, ys(10 ** p));
    ctx.stroke();
    ctx.fillStyle = theme.foreground;
    ctx.fillText(`1e${p}`, PAD.left - 3, ys(10 ** p) + 3);
  }
  series.forEach((l, i) => {
    ctx.strokeStyle = l.color;
    ctx.fillStyle = l.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    let started = false;
    for (const [x, y] of l.points) {
      if (!(y > 0) || !Number.isFinite(y)) continue;
      if (!started) ctx.moveTo(xs(x), ys(y));
      else ctx.lineTo(xs(x), ys(y));
      started = true;
      if (l.points.length < 40) ctx.fillRect(xs(x) - 1.5, ys(y) - 1.5, 3, 3);
    }
    ctx.stroke();
    ctx.textAlign = 'left';
    ctx.fillText(l.label, PAD.left + plotW + 8, PAD.top + 10 + i * 12);
  });
  ctx.lineWidth = 1;
}

export interface Image {
  width: number;
  height: number;
  /** 1 (grey, diverging colours) or 3 (RGB). */
  channels: 1 | 3;
  /** Row-major (y, x, channel). */
  values: ArrayLike<number>;
}

/**
 * Images side by side, `cell` pixels per value, wrapping in rows. Grey images map negative to blue
 * and positive to orange (a weight's sign matters); RGB images map each channel from its range.
 */
export function drawImageGrid(s: Surface, images: Image[], cell: number, shared: boolean, columns = Infinity, gap = 6): void {
  const { ctx } = s;
  const extent = (v: ArrayLike<number>): number => Math.max(1e-12, ...Array.from(v, Math.abs));
  const sharedMax = Math.max(1e-12, ...images.map((im) => extent(im.values)));
  let x = gap;
  let y = gap;
  ctx.imageSmoothingEnabled = false;
  images.forEach((im, i) => {
    const w = im.width * cell;
    if ((x + w > s.width || (i > 0 && i % columns === 0)) && x > gap) {
      x = gap;
      y += im.height * cell + gap;
    }
    const max = shared ? sharedMax : extent(im.values);
    const data = new ImageData(im.width, im.height);
    for (let p = 0; p < im.width * im.height; p++) {
      if (im.channels === 3) {
        for (let c = 0; c < 3; c++) data.data[p * 4 + c] = Math.round(((Number(im.values[p * 3 + c]) / max + 1) / 2) * 255);
      } else {
        const v = Math.max(-1, Math.min(1, Number(im.values[p]) / max));
        data.data[p * 4] = v > 0 ? 255 : Math.round(255 * (1 + v));
        data.data[p * 4 + 1] = Math.round(255 * (1 - Math.abs(v) * 0.6));
        data.data[p * 4 + 2] = v < 0 ? 255 : Math.round(255 * (1 - v));
      }
      data.data[p * 4 + 3] = 255;
    }
    const off = document.createElement('canvas');
    off.width = im.width;
    off.height = im.height;
    (off.getContext('2d') as CanvasRenderingContext2D).putImageData(data, 0, 0);
    ctx.drawImage(off, x, y, w, im.height * cell);
    x += w + gap;
  });
}

/** Rows needed by drawImageGrid for these images, to size the canvas first. */
export function gridHeight(width: number, images: { width: number; height: number }[], cell: number, columns = Infinity, gap = 6): number {
  let x = gap;
  let rows = images.length ? 1 : 0;
  images.forEach((im, i) => {
    if ((x + im.width * cell > width || (i > 0 && i % columns === 0)) && x > gap) {
      x = gap;
      rows++;
    }
    x += im.width * cell + gap;
  });
  return gap + rows * ((images[0]?.height ?? 0) * cell + gap);
}
