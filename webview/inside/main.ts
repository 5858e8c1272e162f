// The inside panels' page: one script, four views (Weights, Gradient Flow, Filters, Predictions),
// picked by the host in the markup. Holds the run's statistics, draws once per frame, validates
// every message, and keeps the run in setState so the serializer can find it after a reload.
import type { HostToInside, InsidePanelState, InsideView } from '../../protocol/inside';
import { mergeParts } from '../../core/stats/budget';
import { asHostToInside, isInsideView } from '../../core/protocol/validateInside';
import { assertNever } from '../../core/util/assertNever';
import { vscodeApi } from '../shared/vscodeApi';
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
header.append(title, status);
const problems = el('ul', { class: 'problems', id: 'problems' });
const body = el('section');
app.append(header, problems, body);

const theme = readTheme;
const renderer: InsideViewRenderer = makeView(view, body);
let data: InsideData | undefined;
let pending = false;

function makeView(v: InsideView, root: HTMLElement): InsideViewRenderer {
  switch (v) {
    case 'weights': return new WeightsView(root, theme);
    case 'gradients': return new GradientsView(root, theme);
    case 'filters': return new FiltersView(root);
    case 'predictions': return new PredictionsView(root, theme);
    default: return assertNever(v, 'inside view');
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const msg = asHostToInside(event.data);
  if (!msg) {
    console.warn('Model Lab inside panel dropped a malformed message', event.data);
    return;
  }
  handle(msg);
});
window.addEventListener('resize', schedule);

function handle(msg: HostToInside): void {
  switch (msg.type) {
    case 'snapshot':
      data = { run: msg.run, records: mergeParts(msg.records), diagnostics: msg.diagnostics };
      vscode.setState({ view, runId: msg.run.id, ...(msg.run.runDir ? { runDir: msg.run.runDir } : {}) });
      break;
    case 'stats':
      if (!data || data.run.id !== msg.runId) return;
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

function schedule(): void {
  if (pending) return;
  pending = true;
  requestAnimationFrame(() => {
    pending = false;
    if (!data) return;
    title.textContent = `${TITLES[view]}: ${data.run.name}`;
    status.textContent = data.run.status;
    status.dataset.status = data.run.status;
    problems.replaceChildren(...data.diagnostics.map((d) => el('li', { class: d.severity }, `line ${d.range.start.line + 1}: ${d.message}`)));
    renderer.update(data);
    document.body.dataset.records = String(data.records.length);
    document.body.dataset.runId = data.run.id;
    document.body.dataset.ready = '1';
  });
}

vscode.postMessage({ type: 'ready' });
