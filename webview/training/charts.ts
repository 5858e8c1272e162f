// The loss and accuracy charts of a run: per-epoch training and validation lines, with the
// per-batch loss drawn faint behind so the noise of mini-batch descent stays visible.
import { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Decimation, type ChartDataset } from 'chart.js';
import type { BatchPoint, EpochPoint } from '../../protocol/run';
import type { ChartTheme } from '../shared/theme';
import { rateVaries } from '../../common/chartNumbers';

Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip, Decimation);
// Exposed so the end-to-end tests (and anyone in the webview devtools) can read what was drawn.
(globalThis as unknown as { Chart: typeof Chart }).Chart = Chart;

type Pt = { x: number; y: number };
type LineSet = ChartDataset<'line', Pt[]>;

export class RunCharts {
  private readonly loss: Chart<'line', Pt[]>;
  private readonly acc: Chart<'line', Pt[]>;
  /** Every step's learning rate; drawn once it changes. */
  private rates: Pt[] = [];

  constructor(lossCanvas: HTMLCanvasElement, accCanvas: HTMLCanvasElement, theme: ChartTheme) {
    this.loss = makeChart(lossCanvas, 'loss', [line('batch loss', theme.batch, 1, true), line('train loss', theme.train, 2), line('val loss', theme.val, 2)], theme, true);
    this.acc = makeChart(accCanvas, 'accuracy', [line('train accuracy', theme.train, 2), line('val accuracy', theme.val, 2)], theme);
    // The learning rate of every step, on its own axis at the right of the loss (so a schedule's
    // effect shows), and the snapshot ensemble's validation accuracy beside the single model's.
    this.loss.data.datasets.push({ ...line('learning rate', theme.foreground, 1.5, true), yAxisID: 'lr', borderDash: [4, 3], order: 0 });
    this.acc.data.datasets.push({ ...line('snapshot ensemble val accuracy', theme.val, 2), borderDash: [6, 3] });
  }

  reset(): void {
    for (const chart of [this.loss, this.acc]) for (const ds of chart.data.datasets) ds.data = [];
    this.rates = [];
    const axis = this.loss.options.scales?.lr;
    if (axis) axis.display = false;
  }

  add(batches: BatchPoint[], epochs: EpochPoint[]): void {
    const [batch, trainLoss, valLoss] = this.loss.data.datasets as [LineSet, LineSet, LineSet];
    const [trainAcc, valAcc, ensembleAcc] = this.acc.data.datasets as [LineSet, LineSet, LineSet];
    const lr = this.loss.data.datasets[3] as LineSet;
    for (const b of batches) if (Number.isFinite(b.loss)) batch.data.push({ x: b.x, y: b.loss });
    for (const b of batches) if (b.learningRate !== undefined) this.rates.push({ x: b.x, y: b.learningRate });
    // A constant rate is not worth a line, nor an empty axis; a schedule's rate and its axis are drawn.
    const varies = rateVaries(this.rates.map((p) => p.y));
    lr.data = varies ? this.rates : [];
    const axis = this.loss.options.scales?.lr;
    if (axis) axis.display = varies;
    for (const e of epochs) {
      trainLoss.data.push({ x: e.epoch, y: e.loss });
      if (e.valLoss !== undefined) valLoss.data.push({ x: e.epoch, y: e.valLoss });
      if (e.accuracy !== undefined) trainAcc.data.push({ x: e.epoch, y: e.accuracy });
      if (e.valAccuracy !== undefined) valAcc.data.push({ x: e.epoch, y: e.valAccuracy });
      if (e.ensembleValAccuracy !== undefined) ensembleAcc.data.push({ x: e.epoch, y: e.ensembleValAccuracy });
    }
  }

  setEpochs(total: number): void {
    for (const chart of [this.loss, this.acc]) {
      const x = chart.options.scales?.x;
      if (x) x.max = Math.max(1, total);
    }
  }

  draw(): void {
    this.loss.update('none');
    this.acc.update('none');
  }

  /** Frees both charts (a notebook output that goes away). */
  destroy(): void {
    this.loss.destroy();
    this.acc.destroy();
  }

  applyTheme(theme: ChartTheme): void {
    const colours = [[theme.batch, theme.train, theme.val, theme.foreground], [theme.train, theme.val, theme.val]];
    [this.loss, this.acc].forEach((chart, i) => {
      chart.data.datasets.forEach((ds, j) => {
        ds.borderColor = colours[i]?.[j] ?? theme.train;
        ds.backgroundColor = ds.borderColor;
      });
      styleAxes(chart, theme);
    });
    this.draw();
  }
}

function line(label: string, color: string, width: number, faint = false): LineSet {
  return {
    label, data: [], borderColor: color, backgroundColor: color, borderWidth: width,
    pointRadius: faint ? 0 : 1.5, pointHoverRadius: 3, tension: 0, parsing: false, spanGaps: true, order: faint ? 10 : 1,
  };
}

function makeChart(canvas: HTMLCanvasElement, yTitle: string, datasets: LineSet[], theme: ChartTheme, rateAxis = false): Chart<'line', Pt[]> {
  const chart = new Chart<'line', Pt[]>(canvas, {
    type: 'line',
    data: { datasets },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false },
      scales: {
        x: { type: 'linear', min: 0, title: { display: true, text: 'epoch' } },
        y: { type: 'linear', title: { display: true, text: yTitle }, ...(yTitle === 'accuracy' ? { suggestedMin: 0, suggestedMax: 1 } : { beginAtZero: true }) },
        // The learning rate's own axis, shown once the rate changes (add() decides).
        ...(rateAxis ? { lr: { type: 'linear' as const, position: 'right' as const, display: false, beginAtZero: true, title: { display: true, text: 'learning rate' }, grid: { drawOnChartArea: false } } } : {}),
      },
      plugins: {
        // Lines with nothing to show (no validation split, no schedule, no ensemble) stay out of the legend.
        legend: { labels: { boxWidth: 12, filter: (item, data) => (data.datasets[item.datasetIndex ?? 0]?.data.length ?? 0) > 0 } },
        decimation: { enabled: true, algorithm: 'lttb', samples: 1500 },
        tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${Number(ctx.parsed.y).toPrecision(4)}` } },
      },
    },
  });
  styleAxes(chart, theme);
  return chart;
}

function styleAxes(chart: Chart<'line', Pt[]>, theme: ChartTheme): void {
  Chart.defaults.color = theme.foreground;
  Chart.defaults.font.family = theme.font;
  for (const axis of Object.values(chart.options.scales ?? {})) {
    if (!axis) continue;
    axis.grid = { ...(axis.grid ?? {}), color: theme.grid };
    axis.ticks = { ...(axis.ticks ?? {}), color: theme.foreground };
    if ('title' in axis && axis.title) axis.title.color = theme.foreground;
  }
  if (chart.options.plugins?.legend?.labels) chart.options.plugins.legend.labels.color = theme.foreground;
}
