// The inside panels' page: one script, four views (Weights, Gradient Flow, Filters, Predictions),
// picked by the host in the markup. Holds the run's statistics, draws once per frame, validates
// every message, and keeps the run in setState so the serializer can find it after a reload.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { type HostToInside, type InsidePanelState, type InsideView, asHostToInside, isInsideView } from '../../protocol/inside';
import type { ExamplePick } from '../../protocol/pickedMaps';
import { mergeParts } from '../../common/stats/budget';
import { assertNever } from '../../common/assertNever';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';
import { oncePerFrame } from '../shared/oncePerFrame';
import { readTheme } from '../shared/theme';
import { el } from './controls';
import { FiltersView } from './filters';
import { GradientsView } from './gradients';
import { PredictionsView } from './predictions';
import type { InsideData, InsideViewRenderer } from './view';
import { WeightsView } from './weights';

const vscode = vscodeApi<InsidePanelState>();
const app = document.getElementById('app') as HTMLElement;
const view: InsideView = isInsideView(app.dataset.view) ? app.dataset.view : 'weights';
const TITLES: Record<InsideView, string> = { weights: 'Weights', gradients: 'Gradient flow', filters: 'Filters', predictions: 'Predictions' };

const header = el('header');
const title = el('h1', { id: 'run-name' });
const status = el('span', { id: 'run-status' });
const epochs = el('span', { id: 'run-epochs', class: 'info' });
// Shown while the panels show a run picked in the Runs view instead of the newest run.
const followLive = document.createElement('vscode-button');
followLive.id = 'follow-live';
followLive.setAttribute('secondary', '');
followLive.textContent = 'Follow the live run';
followLive.hidden = true;
followLive.addEventListener('click', () => vscode.postMessage({ type: 'followLive' }));
header.append(title, status, epochs, followLive);
const problems = el('ul', { class: 'problems', id: 'problems' });
const body = el('section');
app.append(header, problems, body);

const theme = readTheme;
const renderer: InsideViewRenderer = makeView(view, body);
let data: InsideData | undefined;
/** The example picked in the Filters view: kept with setState, asked for again after a reload. */
let pick: ExamplePick | undefined = vscode.getState()?.pick;

function saveState(): void {
  if (data) vscode.setState({ view, runId: data.run.id, ...(data.run.runDir ? { runDir: data.run.runDir } : {}), ...(pick ? { pick } : {}) });
}

function onPick(p: ExamplePick): void {
  pick = p;
  saveState();
  vscode.postMessage({ type: 'pickExample', pick: p });
}

function makeView(v: InsideView, root: HTMLElement): InsideViewRenderer {
  switch (v) {
    case 'weights': return new WeightsView(root, theme);
    case 'gradients': return new GradientsView(root, theme);
    case 'filters': return new FiltersView(root, onPick, (setup) => vscode.postMessage({ type: 'exploreConvolution', setup }));
    case 'predictions': return new PredictionsView(root, theme);
    default: return assertNever(v, 'inside view');
  }
}

window.addEventListener('resize', () => schedule());

function handle(msg: HostToInside): void {
  switch (msg.type) {
    case 'snapshot': {
      const sameRun = data?.run.id === msg.run.id;
      data = { run: msg.run, records: mergeParts(msg.records), diagnostics: msg.diagnostics, ...(msg.picked ? { picked: msg.picked } : {}), ...(msg.following ? { following: msg.following } : {}) };
      if (!sameRun && !msg.picked && pick && renderer instanceof FiltersView) renderer.repick(pick);
      saveState();
      break;
    }
    case 'pickedMaps':
      if (!data || data.run.id !== msg.runId) return;
      data.picked = msg.reply;
      break;
    case 'stats':
      if (!data || data.run.id !== msg.runId || msg.view !== view) return;
      data.records = mergeParts([...data.records, msg.record]);
      break;
    case 'status':
      if (!data || data.run.id !== msg.runId) return;
      data.run = { ...data.run, status: msg.status };
      break;
    default:
      assertNever(msg, 'host message');
  }
  schedule();
}

const schedule = oncePerFrame(() => {
  if (!data) return;
  title.textContent = `${TITLES[view]}: ${data.run.name}`;
  status.textContent = data.run.status;
  status.dataset.status = data.run.status;
  const epochCount = data.records.filter((r) => r.when === 'epoch').length;
  epochs.textContent = `${epochCount} epoch${epochCount === 1 ? '' : 's'} recorded`;
  followLive.hidden = data.following !== 'selected';
  document.body.dataset.epochs = String(epochCount);
  document.body.dataset.following = data.following ?? 'live';
  problems.replaceChildren(...data.diagnostics.map((d) => el('li', { class: d.severity }, `line ${d.range.start.line + 1}: ${d.message}`)));
  renderer.update(data);
  document.body.dataset.records = String(data.records.length);
  document.body.dataset.runId = data.run.id;
  document.body.dataset.ready = '1';
});

// 'ready' is said again until a snapshot has come.
listenToHost('inside panel', asHostToInside, handle, () => data !== undefined);
