// Draws the parallel-coordinates view on a canvas: axes from common/compare/parallelAxes.ts, one line
// per run in its colour. Canvas text is drawn, not parsed, so workspace strings stay inert.
import type { Axis } from '../../common/compare/parallelAxes';

export function drawParallel(canvas: HTMLCanvasElement, axes: Axis[], colours: string[], foreground: string, grid: string): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth;
  const height = canvas.clientHeight;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const ctx = canvas.getContext('2d');
  if (!ctx || axes.length < 2) return;
  ctx.scale(ratio, ratio);
  ctx.clearRect(0, 0, width, height);
  const top = 28;
  const bottom = height - 16;
  const left = 60;
  const right = width - 60;
  const xOf = (i: number) => left + ((right - left) * i) / (axes.length - 1);
  const yOf = (at: number) => bottom - at * (bottom - top);
  ctx.font = '11px sans-serif';
  ctx.lineWidth = 1;
  axes.forEach((axis, i) => {
    const x = xOf(i);
    ctx.strokeStyle = grid;
    ctx.beginPath();
    ctx.moveTo(x, top);
    ctx.lineTo(x, bottom);
    ctx.stroke();
    ctx.fillStyle = foreground;
    // The outer axes' names grow inwards so they are never cut at the canvas edge.
    ctx.textAlign = i === 0 ? 'left' : i === axes.length - 1 ? 'right' : 'center';
    ctx.fillText(axis.name + (axis.scale === 'log' ? ' (log)' : ''), i === 0 ? x - 50 : i === axes.length - 1 ? x + 50 : x, top - 12);
    ctx.textAlign = i === axes.length - 1 ? 'left' : 'right';
    for (const t of axis.ticks) ctx.fillText(t.label, x + (i === axes.length - 1 ? 6 : -6), yOf(t.at) + 4);
  });
  const runs = axes[0]?.at.length ?? 0;
  ctx.lineWidth = 2;
  for (let r = 0; r < runs; r++) {
    ctx.strokeStyle = colours[r] ?? foreground;
    ctx.beginPath();
    let pen = false;
    axes.forEach((axis, i) => {
      const at = axis.at[r] as number;
      if (Number.isNaN(at)) {
        pen = false;
        return;
      }
      if (pen) ctx.lineTo(xOf(i), yOf(at));
      else ctx.moveTo(xOf(i), yOf(at));
      pen = true;
    });
    ctx.stroke();
  }
  canvas.dataset.axes = String(axes.length);
  canvas.dataset.lines = String(runs);
}
