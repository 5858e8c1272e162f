// The LR finder panel: loss against learning rate on a log axis, the smoothed curve, the suggested
// rate (or one the user clicks on the chart), and a button that asks the host to write it into the
// model file. Everything shown comes from validated host messages, as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip, type ChartDataset } from 'chart.js';
import { type HostToLrFinder, type LrFinderPanelState, type LrFinderToHost, type LrFinderView, asHostToLrFinder } from '../../protocol/lrFinder';
import { assertNever } from '../../common/assertNever';
import { formatNumber, formatTicks, isLogTickLabelled } from '../../common/chartNumbers';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';
import { readTheme } from '../shared/theme';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Legend, Tooltip);
// Exposed so the end-to-end tests can read what was drawn.
(globalThis as unknown as { Chart: typeof Chart }).Chart = Chart;

type Pt = { x: number; y: number };
const vscode = vscodeApi<LrFinderPanelState>();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const send = (m: LrFinderToHost): void => vscode.postMessage(m);
const fmt = (v: number): string => formatNumber(v);
const labelLogTick = (value: number, all: number[]): string =>
  isLogTickLabelled(value, Math.min(...all), Math.max(...all)) ? formatNumber(value) : '';

const theme = readTheme();
const set = (label: string, color: string, width: number, extra: Partial<ChartDataset<'line', Pt[]>> = {}): ChartDataset<'line', Pt[]> => ({
  label, data: [], borderColor: color, backgroundColor: color, borderWidth: width, pointRadius: 0, tension: 0, parsing: false, ...extra,
});
Chart.defaults.color = theme.foreground;
const chart = new Chart<'line', Pt[]>($<HTMLCanvasElement>('chart'), {
  type: 'line',
  data: { datasets: [set('loss', theme.batch, 1), set('smoothed loss', theme.train, 2), set('chosen rate', theme.val, 2, { borderDash: [4, 3] })] },
  options: {
    animation: false, responsive: true, maintainAspectRatio: false,
    interaction: { mode: 'nearest', intersect: false },
    scales: {
      // Few, plainly written ticks: powers of ten (and 2 and 5 times them on a narrow range), 0.07 not 0.070000.
      x: {
        type: 'logarithmic', title: { display: true, text: 'learning rate' }, grid: { color: theme.grid },
        ticks: { autoSkip: false, maxRotation: 0, callback: (value, _i, ticks) => labelLogTick(Number(value), ticks.map((t) => t.value)) },
      },
      // Labels that differ from their neighbours (3e24 and 3.2e24, not 3E24 twice).
      y: {
        type: 'linear', title: { display: true, text: 'loss' }, grid: { color: theme.grid },
        ticks: { callback: (_value, i, ticks) => formatTicks(ticks.map((t) => t.value))[i] ?? '' },
      },
    },
    plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${Number(c.parsed.y).toPrecision(4)} at ${fmt(Number(c.parsed.x))}` } } },
    // A click picks that rate instead of the suggestion.
    onClick: (event) => {
      if (!view || view.status !== 'done' || event.x === null) return;
      const x = chart.scales.x?.getValueForPixel(event.x);
      if (x !== undefined && x > 0) choose(x);
    },
  },
});

let view: LrFinderView | undefined;
let chosen: number | undefined;

function choose(lr: number): void {
  chosen = lr;
  $('apply').textContent = `Use ${fmt(lr)} as learningRate`;
  $('apply').toggleAttribute('disabled', false);
  const ys = (chart.data.datasets[0]?.data ?? []).map((p) => p.y).filter(Number.isFinite);
  const marker = chart.data.datasets[2];
  if (marker && ys.length) marker.data = [{ x: lr, y: Math.min(...ys) }, { x: lr, y: Math.max(...ys) }];
  document.body.dataset.chosen = String(lr);
  chart.update('none');
}

function render(v: LrFinderView): void {
  view = v;
  $('name').textContent = v.name;
  const on = v.engine ? ` on ${v.engine}` : '';
  $('status').textContent = v.status === 'running' ? `sweeping${on}… ${v.points.length} steps` : v.status === 'done' ? `${v.points.length} steps${on}` : 'failed';
  $('message').textContent = v.message ?? '';
  const [raw, smooth] = chart.data.datasets as [ChartDataset<'line', Pt[]>, ChartDataset<'line', Pt[]>];
  raw.data = v.points.filter((p) => Number.isFinite(p.loss)).map((p) => ({ x: p.learningRate, y: p.loss }));
  smooth.data = (v.smoothed ?? []).map((y, i) => ({ x: v.points[i]?.learningRate ?? 0, y })).filter((p) => Number.isFinite(p.y));
  // Past the minimum the loss explodes; clip the axis so the useful part is readable.
  const finite = smooth.data.length ? smooth.data.map((p) => p.y) : raw.data.map((p) => p.y);
  const y = chart.options.scales?.y;
  if (y && finite.length) y.max = Math.min(Math.max(...finite), (raw.data[0]?.y ?? Infinity) * 1.5);
  if (v.suggestion) {
    $('suggestion').textContent = `Suggested: ${fmt(v.suggestion.steepest)} (steepest descent of the loss; the minimum is at ${fmt(v.suggestion.minimum)}). The file has ${fmt(v.current)}.`;
    if (chosen === undefined) choose(v.suggestion.steepest);
  } else {
    $('suggestion').textContent = v.status === 'running' ? '' : `The file has ${fmt(v.current)}.`;
  }
  document.body.dataset.status = v.status;
  document.body.dataset.ready = '1';
  chart.update('none');
}

$('apply').addEventListener('click', () => {
  if (chosen !== undefined) send({ type: 'apply', learningRate: chosen });
});

listenToHost('LR finder', asHostToLrFinder, (msg: HostToLrFinder) => {
  switch (msg.type) {
    case 'show':
      if (msg.view.status === 'running') chosen = undefined;
      // Kept for a reloaded window, which shows this sweep again.
      if (msg.modelFile) vscode.setState({ modelFile: msg.modelFile, view: msg.view });
      render(msg.view);
      return;
    default:
      assertNever(msg.type, 'host message type');
  }
});
