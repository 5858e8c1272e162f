// The optimizer playground panel. The host sends what to show (a PlaygroundConfig); everything else
// is computed here from common/playground/ in plain numbers: the surface, its contours, each
// optimizer's path, drawn step by step. Workspace strings reach the DOM only as text.
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import { type HostToPlayground, type PlaygroundConfig, type PlaygroundPanelState, type PlaygroundToHost, asHostToPlayground, isPlaygroundConfig } from '../../protocol/playground';
import { assertNever } from '../../common/assertNever';
import { runConfig, viewFor, type OptimizerPath } from '../../common/playground/paths';
import { BUILTIN_SURFACES, builtinSurface, makeSurface } from '../../common/playground/surfaces';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';
import { onThemeChange } from '../shared/theme';
import { ContourPlot } from './plot';
import { PathRows } from './pathRows';
import { ChainTab } from './chainTab';
import { $, field, plotColors, showExprError, renderLegend } from './dom';

const vscode = vscodeApi<PlaygroundPanelState>();
const send = (m: PlaygroundToHost): void => vscode.postMessage(m);
let state: PlaygroundPanelState = vscode.getState() ?? {};
const saveState = (patch: Partial<PlaygroundPanelState>): void => {
  state = { ...state, ...patch };
  vscode.setState(state);
};

const plot = new ContourPlot($<HTMLCanvasElement>('contour'), plotColors());
const rows = new PathRows($('path-rows'), () => schedule(controlsChanged));
const surfaceSelect = field('surface-select');
const formula = field('formula-input');
const startX = field('start-x');
const startY = field('start-y');
const steps = field('steps');
const slider = $<HTMLInputElement>('step-slider');

let config: PlaygroundConfig | undefined;
let paths: OptimizerPath[] = [];
let step = 0;
let playing: number | undefined;
let pending: ReturnType<typeof setTimeout> | undefined;

for (const s of [...BUILTIN_SURFACES.map((b) => [b.id, b.label]), ['custom', 'Formula (type it)']]) {
  const option = document.createElement('vscode-option');
  option.setAttribute('value', s[0] as string);
  option.textContent = s[1] as string;
  surfaceSelect.append(option);
}

function schedule(f: () => void): void {
  clearTimeout(pending);
  pending = setTimeout(f, 250);
}

function handle(msg: HostToPlayground): void {
  switch (msg.type) {
    case 'load':
      $('problems').textContent = msg.problems.length ? `The surface file has problems; showing its last good version.\n${msg.problems.join('\n')}` : '';
      $('open-file').toggleAttribute('hidden', !msg.file);
      saveState({ ...(msg.file ? { file: msg.file } : {}), config: msg.config });
      fillControls(msg.config);
      show(msg.config, true);
      break;
    default:
      assertNever(msg.type, 'host message');
  }
}

function fillControls(c: PlaygroundConfig): void {
  const builtin = builtinSurface(c.surface);
  surfaceSelect.value = builtin ? builtin.id : 'custom';
  formula.value = builtin ? builtin.formula : c.surface;
  startX.value = String(c.start[0]);
  startY.value = String(c.start[1]);
  steps.value = String(c.steps);
  rows.set(c.paths, plotColors().paths);
}

/** Computes and draws a config; `animate` replays the paths from the start. */
function show(c: PlaygroundConfig, animate: boolean): boolean {
  const made = makeSurface(c.surface);
  showExprError($('formula-error'), made.ok ? undefined : made.error, made.ok ? '' : made.formula);
  if (!made.ok) return false;
  config = c;
  paths = runConfig(made.surface, c);
  plot.setSurface(made.surface.value, viewFor(c, made.surface, paths), made.surface.builtin?.minima ?? []);
  $('title').textContent = c.name;
  $('formula-shown').textContent = `f(x, y) = ${made.surface.formula}`;
  $('note').textContent = made.surface.builtin?.note ?? '';
  slider.max = String(c.steps);
  rows.recolor(plotColors().paths);
  stop();
  if (animate) play(0);
  else setStep(c.steps);
  return true;
}

function controlsChanged(): void {
  if (!config) return;
  const builtin = builtinSurface(surfaceSelect.value);
  const surface = builtin ? builtin.id : formula.value;
  const num = (f: HTMLElement & { value: string }, integer: boolean, lo: number, hi: number): number | undefined => {
    const v = Number(f.value);
    const ok = f.value.trim() !== '' && Number.isFinite(v) && v >= lo && v <= hi && (!integer || Number.isInteger(v));
    f.toggleAttribute('invalid', !ok);
    return ok ? v : undefined;
  };
  const x = num(startX, false, -1e6, 1e6);
  const y = num(startY, false, -1e6, 1e6);
  const n = num(steps, true, 1, 5000);
  const p = rows.read();
  if (x === undefined || y === undefined || n === undefined || !p) return;
  // A different surface gets its own region; the file's view stays while its formula is edited.
  const sameSurface = builtinSurface(config.surface) ? surface === config.surface : !builtin;
  const next: PlaygroundConfig = { name: config.name, surface, start: [x, y], steps: n, paths: p, ...(config.view && sameSurface ? { view: config.view } : {}) };
  if (!isPlaygroundConfig(next) || !show(next, false)) return;
  saveState({ config: next });
  send({ type: 'changed', config: next });
}

surfaceSelect.addEventListener('change', () => {
  const builtin = builtinSurface(surfaceSelect.value);
  if (builtin) {
    formula.value = builtin.formula;
    startX.value = String(builtin.start[0]);
    startY.value = String(builtin.start[1]);
  }
  controlsChanged();
});
formula.addEventListener('input', () => {
  // Typing a formula makes it a custom surface (unless it is a built-in's formula, unchanged).
  const builtin = BUILTIN_SURFACES.find((b) => b.formula === formula.value);
  surfaceSelect.value = builtin ? builtin.id : 'custom';
  schedule(controlsChanged);
});
for (const f of [startX, startY, steps]) f.addEventListener('input', () => schedule(controlsChanged));
$('add-path').addEventListener('click', () => {
  rows.add({ optimizer: 'adam', learningRate: 0.1 });
  controlsChanged();
});
$('open-file').addEventListener('click', () => send({ type: 'openFile' }));

function setStep(k: number): void {
  step = Math.max(0, Math.min(k, config?.steps ?? 0));
  slider.value = String(step);
  $('step-label').textContent = `step ${step} / ${config?.steps ?? 0}`;
  const drawn = plot.draw(paths, step);
  renderLegend($<HTMLUListElement>('legend'), paths, step, plotColors().paths);
  Object.assign(document.body.dataset, {
    ready: '1',
    step: String(step),
    steps: String(config?.steps ?? 0),
    pathPoints: drawn.points.join(','),
    contourSegments: String(drawn.segments),
  });
}

/** Steps through the paths, about 3 seconds for the whole run however many steps it has. */
function play(from: number): void {
  stop();
  const total = config?.steps ?? 0;
  const perFrame = Math.max(1, Math.ceil(total / 180));
  let k = from >= total ? 0 : from;
  $('play').textContent = 'Pause';
  const tick = (): void => {
    setStep(k);
    if (k >= total) return stop();
    k += perFrame;
    playing = requestAnimationFrame(tick);
  };
  tick();
}

function stop(): void {
  if (playing !== undefined) cancelAnimationFrame(playing);
  playing = undefined;
  $('play').textContent = 'Play';
}

$('play').addEventListener('click', () => (playing !== undefined ? stop() : play(step)));
slider.addEventListener('input', () => {
  stop();
  setStep(Number(slider.value));
});
new ResizeObserver(() => config && setStep(step)).observe($('contour'));
onThemeChange(() => {
  plot.setColors(plotColors());
  if (config) setStep(step);
});

const chain = new ChainTab(state.chain, (c) => saveState({ chain: c }));
const tabs = $('tabs') as HTMLElement & { selectedIndex: number };
tabs.addEventListener('vsc-tabs-select', () => {
  saveState({ tab: tabs.selectedIndex === 1 ? 'chain' : 'paths' });
  document.body.dataset.tab = state.tab;
  if (tabs.selectedIndex === 1) chain.render();
});
if (state.tab === 'chain') tabs.selectedIndex = 1;
document.body.dataset.tab = state.tab ?? 'paths';
chain.render();

listenToHost('playground', asHostToPlayground, handle);
