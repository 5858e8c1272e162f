// The compare panel: the chosen metric of every run as a faint raw line and a solid smoothed one,
// a star on each run's best value, and the config keys that differ. The host prepares the data
// (host/compare/prepare.ts); this page only draws it. Workspace strings reach the DOM only as text.
import { Chart, Decimation, Legend, LinearScale, LineController, LineElement, PointElement, ScatterController, Tooltip, type ChartDataset } from 'chart.js';
import { type CompareMetric, type CompareToHost, type CompareView, type ComparePanelState, asHostToCompare } from '../../protocol/compare';
import { assertNever } from '../../common/assertNever';
import { onThemeChange, readTheme } from '../shared/theme';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';
import { parallelAxes } from '../../common/compare/parallelAxes';
import { drawParallel } from './parallel';

Chart.register(LineController, ScatterController, LineElement, PointElement, LinearScale, Legend, Tooltip, Decimation);
(globalThis as unknown as { Chart: typeof Chart }).Chart = Chart;

const vscode = vscodeApi<ComparePanelState>();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const send = (m: CompareToHost): void => vscode.postMessage(m);

const METRIC_NAMES: Record<CompareMetric, string> = {
  loss: 'loss (epoch)', batchLoss: 'loss (batch)', accuracy: 'accuracy', valLoss: 'val loss', valAccuracy: 'val accuracy', learningRate: 'learning rate', samplesPerSec: 'samples/s',
};
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-red', '--vscode-charts-purple', '--vscode-charts-yellow'];
const FALLBACK = ['#3794ff', '#d18616', '#388a34', '#f14c4c', '#b180d7', '#cca700'];

type Pt = { x: number; y: number };
let view: CompareView | undefined;
const chart = new Chart<'line', Pt[]>($<HTMLCanvasElement>('compare-chart'), {
  type: 'line',
  data: { datasets: [] },
  options: {
    animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
    interaction: { mode: 'nearest', intersect: false },
    scales: { x: { type: 'linear', title: { display: true, text: 'epoch' } }, y: { type: 'linear' } },
    plugins: {
      legend: { labels: { boxWidth: 12, filter: (item) => !/ \((raw|best)\)$/.test(item.text) } },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label ?? ''}: ${Number(ctx.parsed.y).toPrecision(4)}` } },
    },
  },
});

function colour(i: number, alpha = 1): string {
  const styles = getComputedStyle(document.documentElement);
  const base = styles.getPropertyValue(PALETTE[i % PALETTE.length] as string).trim();
  const hex = /^#[0-9a-f]{6}$/i.test(base) ? base : (FALLBACK[i % FALLBACK.length] as string);
  const n = parseInt(hex.slice(1), 16);
  // Past the palette, mix towards white or black so runs stay tellable apart.
  const round = Math.floor(i / PALETTE.length);
  const t = Math.min(0.7, 0.25 * round);
  const target = round % 2 ? 255 : 0;
  const ch = (shift: number) => Math.round(((n >> shift) & 255) * (1 - t) + target * t);
  return `rgba(${ch(16)}, ${ch(8)}, ${ch(0)}, ${alpha})`;
}

function draw(v: CompareView): void {
  view = v;
  vscode.setState({ runDirs: [...v.series.map((s) => s.id), ...v.missing], metric: v.metric, smoothing: v.smoothing });
  const theme = readTheme();
  const datasets: ChartDataset<'line', Pt[]>[] = [];
  v.series.forEach((s, i) => {
    const c = colour(i);
    datasets.push({ label: `${s.label} (raw)`, data: s.raw, borderColor: colour(i, 0.25), backgroundColor: colour(i, 0.25), borderWidth: 1, pointRadius: 0, order: 2 });
    datasets.push({ label: s.label, data: s.smooth, borderColor: c, backgroundColor: c, borderWidth: 2, pointRadius: 0, order: 1 });
    if (s.best) datasets.push({ label: `${s.label} (best)`, data: [s.best], borderColor: c, backgroundColor: c, showLine: false, pointStyle: 'star', pointRadius: 7, pointBorderWidth: 2, order: 0 });
  });
  chart.data.datasets = datasets;
  const legend = chart.options.plugins?.legend;
  if (legend) legend.display = v.series.length <= 12;
  const x = chart.options.scales?.x;
  if (x && 'title' in x && x.title) x.title.color = theme.foreground;
  chart.update('none');
  renderControls(v);
  renderTable(v);
  renderParallel(v, theme.foreground, theme.grid);
  document.body.dataset.ready = '1';
  document.body.dataset.runs = String(v.series.length);
  document.body.dataset.metric = v.metric;
}

function renderControls(v: CompareView): void {
  const select = $<HTMLSelectElement>('metric');
  select.replaceChildren(...v.metrics.map((m) => {
    const o = document.createElement('option');
    o.value = m;
    o.textContent = METRIC_NAMES[m];
    o.selected = m === v.metric;
    return o;
  }));
  $<HTMLInputElement>('smoothing').value = String(v.smoothing);
  $('smoothing-value').textContent = v.smoothing.toFixed(2);
  $('message').textContent = [
    `${v.series.length} run${v.series.length === 1 ? '' : 's'}; best ${METRIC_NAMES[v.metric]} marked ★ (${v.higherIsBetter ? 'highest' : 'lowest'}).`,
    v.missing.length ? `${v.missing.length} run record(s) could not be read (deleted?).` : '',
  ].join(' ');
}

/** Parallel coordinates when the runs differ in their config (a sweep): keys and the best value. */
function renderParallel(v: CompareView, foreground: string, grid: string): void {
  const section = $('parallel-section');
  const show = v.series.length >= 2 && v.config.keys.length >= 1;
  section.hidden = !show;
  if (!show) return;
  const bestById = new Map(v.series.map((s) => [s.id, s.best?.y]));
  const axes = parallelAxes(v.config.keys, v.config.rows.map((r) => r.values), `best ${METRIC_NAMES[v.metric]}`, v.config.rows.map((r) => bestById.get(r.id)));
  drawParallel($<HTMLCanvasElement>('parallel'), axes, v.config.rows.map((_, i) => colour(i)), foreground, grid);
}

function renderTable(v: CompareView): void {
  const head = document.createElement('tr');
  for (const text of ['run', `best ${METRIC_NAMES[v.metric]}`, ...v.config.keys, '']) head.append(cell('th', text));
  const rows = v.config.rows.map((r, i) => {
    const tr = document.createElement('tr');
    const name = cell('td', r.label);
    const swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.backgroundColor = colour(i);
    name.prepend(swatch);
    const best = v.series.find((s) => s.id === r.id)?.best;
    tr.append(name, cell('td', best ? best.y.toPrecision(4) : '–'), ...r.values.map((value) => cell('td', value)));
    const remove = document.createElement('button');
    remove.textContent = '✕';
    remove.title = 'Remove from the comparison';
    remove.addEventListener('click', () => send({ type: 'remove', id: r.id }));
    const td = document.createElement('td');
    td.append(remove);
    tr.append(td);
    return tr;
  });
  $('config-head').replaceChildren(head);
  $('config-body').replaceChildren(...rows);
  $('config-note').textContent = v.config.keys.length ? 'Only the config keys that differ between the runs are shown.' : 'The runs have the same config (apart from their names).';
}

function cell(tag: 'td' | 'th', text: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  return el;
}

const setView = (): void => {
  if (!view) return;
  send({ type: 'setView', metric: $<HTMLSelectElement>('metric').value as CompareMetric, smoothing: Number($<HTMLInputElement>('smoothing').value) });
};
$('metric').addEventListener('change', setView);
$('smoothing').addEventListener('input', () => {
  $('smoothing-value').textContent = Number($<HTMLInputElement>('smoothing').value).toFixed(2);
});
$('smoothing').addEventListener('change', setView);
$('export-csv').addEventListener('click', () => send({ type: 'export', format: 'csv' }));
$('export-json').addEventListener('click', () => send({ type: 'export', format: 'json' }));
onThemeChange(() => view && draw(view));

listenToHost('compare panel', asHostToCompare, (msg) => {
  switch (msg.type) {
    case 'view':
      draw(msg.view);
      return;
    default:
      assertNever(msg.type, 'host message');
  }
});
