// Notebook renderer for Model Lab cell outputs (mime CURVES_MIME): the same loss and accuracy charts
// as the training panel (webview/training/charts.ts), drawn from the data the host put into the
// output. Runs inside VS Code's notebook webview; the data is validated and never becomes markup.
import { type CurvesOutput, asCurvesOutput } from '../../protocol/notebook';
import { onThemeChange, readTheme } from '../shared/theme';
import { RunCharts } from '../training/charts';

/** The part of VS Code's renderer API this renderer uses (vscode-notebook-renderer). */
interface OutputItem {
  id: string;
  json(): unknown;
}

const CHART_HEIGHT = '220px';
const shown = new Map<string, { charts: RunCharts; root: HTMLElement }>();

export function activate(): { renderOutputItem(item: OutputItem, element: HTMLElement): void; disposeOutputItem(id?: string): void } {
  onThemeChange(() => {
    const theme = readTheme();
    for (const s of shown.values()) s.charts.applyTheme(theme);
  });
  return {
    renderOutputItem(item, element) {
      try {
        render(item, element);
      } catch (e) {
        // Said in the output itself, where the user looks, rather than only in the webview console.
        element.textContent = `Model Lab could not draw these curves: ${(e as Error).message}`;
      }
    },
    disposeOutputItem(id) {
      for (const [key, s] of shown) {
        if (id !== undefined && key !== id) continue;
        s.charts.destroy();
        shown.delete(key);
      }
    },
  };
}

function render(item: OutputItem, element: HTMLElement): void {
  const data = asCurvesOutput(item.json());
  const previous = shown.get(item.id);
  if (!data) {
    element.textContent = 'Model Lab: this output holds no curves it can read.';
    return;
  }
  // An update of a live run: redraw into the charts already there.
  if (previous && element.contains(previous.root)) {
    fill(previous.charts, previous.root, data);
    return;
  }
  previous?.charts.destroy();
  const root = document.createElement('div');
  root.className = 'modellab-curves';
  root.style.display = 'flex';
  root.style.gap = '12px';
  const canvases = ['loss', 'accuracy'].map((what) => {
    const box = document.createElement('div');
    box.style.position = 'relative';
    box.style.flex = '1 1 0';
    box.style.minWidth = '0';
    box.style.height = CHART_HEIGHT;
    const canvas = document.createElement('canvas');
    canvas.className = `modellab-${what}-chart`;
    canvas.setAttribute('aria-label', `${what} by epoch`);
    box.append(canvas);
    root.append(box);
    return canvas;
  });
  element.replaceChildren(root);
  const charts = new RunCharts(canvases[0] as HTMLCanvasElement, canvases[1] as HTMLCanvasElement, readTheme());
  shown.set(item.id, { charts, root });
  fill(charts, root, data);
}

function fill(charts: RunCharts, root: HTMLElement, data: CurvesOutput): void {
  charts.reset();
  charts.setEpochs(data.totalEpochs);
  charts.add(data.batches, data.epochs);
  charts.draw();
  // Markers for tests and for anyone inspecting the output: what was drawn, as data, not markup.
  root.dataset.name = data.name;
  root.dataset.status = data.status;
  root.dataset.epochs = String(data.epochs.length);
}
