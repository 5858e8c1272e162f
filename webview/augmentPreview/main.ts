// The augmentation preview: for each of the first training images, the image as stored and
// several augmented draws, drawn pixel for pixel on canvases (scaled up by CSS, without smoothing).
// Everything shown comes from validated host messages; text goes in as textContent only.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import { type AugmentPreviewPanelState, type AugmentPreviewToHost, type AugmentPreviewView, asHostToAugmentPreview } from '../../protocol/augmentPreview';
import { assertNever } from '../../common/assertNever';
import { vscodeApi } from '../shared/vscodeApi';
import { listenToHost } from '../shared/hostChannel';

const vscode = vscodeApi<AugmentPreviewPanelState>();
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const send = (m: AugmentPreviewToHost): void => vscode.postMessage(m);

function canvasOf(pixels: number[], view: AugmentPreviewView, title: string): HTMLCanvasElement {
  const { width, height, channels } = view;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  canvas.title = title;
  const image = new ImageData(width, height);
  for (let p = 0; p < width * height; p++) {
    for (let ch = 0; ch < 3; ch++) image.data[p * 4 + ch] = pixels[p * channels + (channels === 1 ? 0 : ch)] as number;
    image.data[p * 4 + 3] = 255;
  }
  canvas.getContext('2d')?.putImageData(image, 0, 0);
  return canvas;
}

function render(view: AugmentPreviewView): void {
  $('name').textContent = view.name;
  $('settings').textContent = view.settings;
  $('message').textContent = view.message ?? '';
  const grid = $('grid');
  grid.replaceChildren();
  for (const s of view.samples) {
    const row = document.createElement('div');
    row.className = 'row';
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = s.label;
    const original = canvasOf(s.original, view, `original (class ${s.label})`);
    original.className = 'original';
    row.append(label, original, ...s.views.map((v, i) => canvasOf(v, view, `augmented draw ${i + 1}`)));
    grid.append(row);
  }
  document.body.dataset.samples = String(view.samples.length);
  document.body.dataset.ready = '1';
}

$('redraw').addEventListener('click', () => send({ type: 'redraw' }));

listenToHost('augmentation preview', asHostToAugmentPreview, (msg) => {
  switch (msg.type) {
    case 'show':
      // Kept for a reloaded window, which previews this file again.
      if (msg.modelFile) vscode.setState({ modelFile: msg.modelFile });
      render(msg.view);
      return;
    default:
      assertNever(msg.type, 'augmentation preview message');
  }
});
