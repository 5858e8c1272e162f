// The convolution explorer: an input grid and a kernel the user edits, stride, padding and max
// pooling; the output as a table of numbers, recomputed on every edit (common/convolution.ts).
// Hovering an output cell marks its window in the input and writes its sum of products; hovering a
// pooled cell marks the cells it takes the largest of. Everything shown is numbers or textContent.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { type ConvolutionPanelState, type ConvolutionSetup, type ConvolutionToHost, asHostToConvolution, MAX_GRID } from '../../protocol/convolution';
import { assertNever } from '../../common/assertNever';
import { convolve, courseSetup, convWindow, maxPool, poolWindow, sumOfProducts, type Grid } from '../../common/convolution';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';

const vscode = vscodeApi<ConvolutionPanelState>();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const send = (m: ConvolutionToHost): void => vscode.postMessage(m);


let setup: ConvolutionSetup = courseSetup();
let output: Grid = [];
let pooled: Grid = [];
let changedTimer: ReturnType<typeof setTimeout> | undefined;

const fmt = (v: number): string => String(Number(v.toPrecision(4)));
const clampInt = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, Math.round(Number.isFinite(v) ? v : lo)));

function resize(g: Grid, rows: number, cols: number): Grid {
  return Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => g[r]?.[c] ?? 0));
}

/** An editable grid: one number input per cell. */
function editableGrid(id: string, g: Grid, onEdit: (r: number, c: number, v: number) => void): void {
  const table = $(id);
  table.replaceChildren(...g.map((row, r) => {
    const tr = document.createElement('tr');
    tr.append(...row.map((v, c) => {
      const td = document.createElement('td');
      const input = document.createElement('input');
      input.type = 'number';
      input.step = 'any';
      input.value = fmt(v);
      input.setAttribute('aria-label', `${id.replace('-grid', '')} row ${r + 1} column ${c + 1}`);
      input.addEventListener('change', () => onEdit(r, c, Number(input.value) || 0));
      td.append(input);
      return td;
    }));
    return tr;
  }));
}

/** A grid of numbers as text, with hover explaining each cell. */
function numberGrid(id: string, g: Grid, onHover: (r: number, c: number) => void): void {
  const table = $(id);
  table.replaceChildren(...g.map((row, r) => {
    const tr = document.createElement('tr');
    tr.append(...row.map((v, c) => {
      const td = document.createElement('td');
      td.textContent = fmt(v);
      td.dataset.row = String(r);
      td.dataset.col = String(c);
      td.addEventListener('mouseenter', () => onHover(r, c));
      td.addEventListener('mouseleave', clearMarks);
      return td;
    }));
    return tr;
  }));
}

function mark(id: string, cells: [number, number][], className: string): void {
  const rows = $(id).querySelectorAll('tr');
  for (const [r, c] of cells) rows[r]?.children[c]?.classList.add(className);
}

function clearMarks(): void {
  for (const el of Array.from(document.querySelectorAll('.window, .hot'))) el.classList.remove('window', 'hot');
  $('explain').textContent = 'Hover an output cell to see its window and its sum of products.';
}

function explainOutput(r: number, c: number): void {
  clearMarks();
  const w = convWindow(setup.input, setup.kernel, setup, r, c);
  // Cells of the padded border are outside the input grid: only the real ones can be marked.
  mark('input-grid', w.cells.filter(([y, x]) => y >= 0 && x >= 0), 'window');
  mark('output-grid', [[r, c]], 'hot');
  $('explain').textContent = `output[${r + 1}][${c + 1}] = ${sumOfProducts(w)}${setup.padding ? ' (cells outside the input are zero padding)' : ''}`;
}

function explainPool(r: number, c: number): void {
  clearMarks();
  const w = poolWindow(output, setup.poolSize, setup.poolStride, r, c);
  mark('output-grid', w.cells, 'window');
  mark('pool-grid', [[r, c]], 'hot');
  $('explain').textContent = `pooled[${r + 1}][${c + 1}] = max(${w.cells.map(([y, x]) => fmt(output[y]?.[x] ?? 0)).join(', ')}) = ${fmt(w.value)}`;
}

function render(): void {
  $('title').textContent = setup.title;
  ($('stride') as HTMLInputElement).value = String(setup.stride);
  ($('padding') as HTMLInputElement).value = String(setup.padding);
  ($('pool') as HTMLInputElement).checked = setup.pool;
  ($('pool-size') as HTMLInputElement).value = String(setup.poolSize);
  ($('pool-stride') as HTMLInputElement).value = String(setup.poolStride);
  ($('rows') as HTMLInputElement).value = String(setup.input.length);
  ($('cols') as HTMLInputElement).value = String(setup.input[0]?.length ?? 0);
  ($('ksize') as HTMLInputElement).value = String(setup.kernel.length);
  editableGrid('input-grid', setup.input, (r, c, v) => edit(() => { (setup.input[r] as number[])[c] = v; }));
  editableGrid('kernel-grid', setup.kernel, (r, c, v) => edit(() => { (setup.kernel[r] as number[])[c] = v; }));
  output = convolve(setup.input, setup.kernel, setup);
  numberGrid('output-grid', output, explainOutput);
  pooled = setup.pool ? maxPool(output, setup.poolSize, setup.poolStride) : [];
  numberGrid('pool-grid', pooled, explainPool);
  $('pool-box').hidden = !setup.pool;
  const rows = output.length;
  const cols = output[0]?.length ?? 0;
  $('output-size').textContent = rows && cols
    ? `${rows}×${cols}: (n + 2·padding − k) / stride + 1 along each side`
    : 'No output: the kernel is larger than the (padded) input.';
  $('pool-size-note').textContent = setup.pool ? `${pooled.length}×${pooled[0]?.length ?? 0}, each the largest of a ${setup.poolSize}×${setup.poolSize} window, stride ${setup.poolStride}` : '';
  clearMarks();
  document.body.dataset.output = output.map((r) => r.map(fmt).join(' ')).join(' / ');
  document.body.dataset.ready = '1';
}

/** Applies an edit, redraws, and tells the host (so a panel shown again starts here). */
function edit(change: () => void): void {
  change();
  render();
  clearTimeout(changedTimer);
  changedTimer = setTimeout(() => send({ type: 'changed', setup }), 300);
  vscode.setState({ setup });
}

const numberInput = (id: string, lo: number, hi: number, apply: (v: number) => void): void => {
  $(id).addEventListener('change', () => edit(() => apply(clampInt(Number(($(id) as HTMLInputElement).value), lo, hi))));
};
numberInput('stride', 1, 8, (v) => { setup.stride = v; });
numberInput('padding', 0, 8, (v) => { setup.padding = v; });
numberInput('pool-size', 1, 8, (v) => { setup.poolSize = v; });
numberInput('pool-stride', 1, 8, (v) => { setup.poolStride = v; });
numberInput('rows', 1, MAX_GRID, (v) => { setup.input = resize(setup.input, v, setup.input[0]?.length ?? v); });
numberInput('cols', 1, MAX_GRID, (v) => { setup.input = resize(setup.input, setup.input.length, v); });
numberInput('ksize', 1, MAX_GRID, (v) => { setup.kernel = resize(setup.kernel, v, v); });
$('pool').addEventListener('change', () => edit(() => { setup.pool = ($('pool') as HTMLInputElement).checked; }));
$('reset').addEventListener('click', () => edit(() => { setup = courseSetup(); }));

listenToHost('convolution explorer', asHostToConvolution, (msg) => {
  switch (msg.type) {
    case 'show':
      setup = structuredClone(msg.setup);
      vscode.setState({ setup });
      render();
      return;
    default:
      assertNever(msg.type, 'convolution explorer message');
  }
});
