// The training panel. Draws whatever run the host sends: a full snapshot when the panel (re)appears,
// then increments. Every message is validated; workspace strings only ever reach the DOM as text.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { type HostToWebview, type TrainingPanelState, type WebviewToHost, asHostToWebview } from '../../protocol/webview';
import type { RunSnapshot, RunStatus, RunSummary } from '../../protocol/run';
import { isInsideView } from '../../protocol/inside';
import { assertNever } from '../../common/assertNever';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';
import { oncePerFrame } from '../shared/oncePerFrame';
import { onThemeChange, readTheme } from '../shared/theme';
import { RunCharts } from './charts';
import { hasAccuracy } from '../../common/chartNumbers';
import { formatDuration, formatRate } from './format';
import { noteArrival, noteDrawn } from './latencyProbe';

const vscode = vscodeApi<TrainingPanelState>();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

const charts = new RunCharts($<HTMLCanvasElement>('loss-chart'), $<HTMLCanvasElement>('acc-chart'), readTheme());
onThemeChange(() => charts.applyTheme(readTheme()));

let run: RunSnapshot | undefined;
/** The wait last shown in the message line, to clear it when the wait is over. */
let shownWaiting: string | undefined;

const send = (m: WebviewToHost): void => vscode.postMessage(m);

$('stop').addEventListener('click', () => run && send({ type: 'stop', runId: run.info.id }));
$('train-again').addEventListener('click', () => run && send({ type: 'trainAgain', runId: run.info.id }));
document.querySelectorAll<HTMLAnchorElement>('#inside-links a').forEach((a) => a.addEventListener('click', (e) => {
  e.preventDefault();
  const view = a.dataset.view;
  if (run && isInsideView(view)) send({ type: 'showInside', runId: run.info.id, view });
}));

function handle(msg: HostToWebview): void {
  switch (msg.type) {
    case 'snapshot':
      run = { ...msg.run, batches: [...msg.run.batches], epochs: [...msg.run.epochs] };
      vscode.setState({ runId: run.info.id, ...(run.runDir ? { runDir: run.runDir } : {}), modelFile: run.info.modelFile });
      charts.reset();
      charts.setEpochs(run.info.epochs);
      charts.add(run.batches, run.epochs);
      break;
    case 'append':
      if (!run || msg.runId !== run.info.id) return;
      noteArrival(msg.batches);
      run.batches.push(...msg.batches);
      run.epochs.push(...msg.epochs);
      if (msg.rankSamplesPerSec) run.rankSamplesPerSec = msg.rankSamplesPerSec;
      charts.add(msg.batches, msg.epochs);
      break;
    case 'status':
      if (!run || msg.runId !== run.info.id) return;
      run.status = msg.status;
      if (msg.summary) run.summary = msg.summary;
      if (msg.message) $('message').textContent = msg.message;
      break;
    default:
      assertNever(msg, 'host message');
  }
  scheduleDraw();
}

const scheduleDraw = oncePerFrame(() => {
  if (!run) return;
  // A regression run has no accuracy: an empty chart with axes would only puzzle.
  const accuracy = hasAccuracy(run.info.metrics, run.epochs);
  $('acc-box').hidden = !accuracy;
  document.body.dataset.accuracyChart = accuracy ? 'shown' : 'hidden';
  charts.draw();
  renderHeader(run);
  noteDrawn();
});

function renderHeader(r: RunSnapshot): void {
  const last = r.epochs[r.epochs.length - 1];
  $('run-name').textContent = r.info.name;
  $('run-status').textContent = r.waiting !== undefined && r.status === 'starting' ? 'waiting for machines…' : statusText(r.status);
  $('run-status').dataset.status = r.status;
  $('epoch').textContent = `${last?.epoch ?? 0} / ${r.info.epochs}`;
  $('loss').textContent = last ? last.loss.toPrecision(4) : '–';
  $('val').textContent = last?.valAccuracy !== undefined ? last.valAccuracy.toFixed(3) : last?.valLoss !== undefined ? last.valLoss.toPrecision(4) : '–';
  $('val-label').textContent = last?.valAccuracy !== undefined ? 'val accuracy' : 'val loss';
  if (last?.valAccuracyTTA !== undefined) $('val').textContent += ` · TTA ${last.valAccuracyTTA.toFixed(3)}`;
  $('speed').textContent = last ? formatRate(last.samplesPerSec) : '–';
  // Several processes: each one's throughput, so a slow rank (which holds every other back) shows.
  const ranks = r.rankSamplesPerSec ?? [];
  $('rank-speeds').textContent = ranks.length > 1 ? `ranks ${ranks.map((x, i) => `${i}: ${formatRate(x)}`).join(' · ')}` : '';
  $('rank-speeds').hidden = ranks.length <= 1;
  $('elapsed').textContent = formatDuration(r.summary?.durationMs ?? last?.elapsedMs ?? 0);
  $('backend').textContent = r.info.backendNote ?? r.info.backend;
  // What a multi-machine run waits for (with the command that joins a machine), as text only; gone once the machines met.
  const kept = $('message').textContent ?? '';
  $('message').textContent = messageFor(r.summary) ?? r.waiting ?? (kept === shownWaiting ? '' : kept);
  shownWaiting = r.waiting;
  const running = r.status === 'running' || r.status === 'starting';
  $('stop').toggleAttribute('disabled', !running);
  $('train-again').toggleAttribute('disabled', running || !r.info.modelFile);
  document.body.dataset.status = r.status;
  document.body.dataset.epochs = String(r.epochs.length);
  document.body.dataset.runId = r.info.id;
  document.body.dataset.ready = '1';
}

function statusText(s: RunStatus): string {
  return { starting: 'starting…', running: 'training', completed: 'completed', stopped: 'stopped', failed: 'failed' }[s];
}

function messageFor(summary: RunSummary | undefined): string | undefined {
  return summary?.error;
}

// 'ready' is said again until a snapshot has been drawn.
listenToHost('training panel', asHostToWebview, handle, () => document.body.dataset.ready === '1');
