// The Filters panel's example picker and the feature maps of every conv layer for the example
// picked: which split, which example (number field, previous/next, or a probe thumbnail), the
// example's image with its label and the model's prediction, then one map grid per conv layer.
// The host answers a pick with the run's current weights, and again after every epoch.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import type { ExamplePick, ExampleSplit, PickedLayerMaps, PickedMaps, PickedMapsReply } from '../../protocol/pickedMaps';
import { dequantizeExample } from '../../common/stats/mapCodec';
import { el } from './controls';
import { drawImageGrid, gridHeight, surface, type Image } from './draw';

type Field = HTMLElement & { value: string };
const SPLIT_NAMES: Record<ExampleSplit, string> = { train: 'training', validation: 'validation' };

export class PickedMapsView {
  readonly root = el('div', { class: 'picked', id: 'picked-maps' });
  private readonly split = document.createElement('vscode-single-select') as Field;
  private readonly index = document.createElement('vscode-textfield') as Field;
  private readonly caption = el('p', { class: 'info', id: 'picked-caption' });
  private readonly example = el('canvas', { id: 'picked-input', class: 'example', 'aria-label': 'The picked example' });
  private readonly layers = el('div', { id: 'picked-layers' });
  private counts: Record<ExampleSplit, number> | undefined;

  constructor(private readonly onPick: (pick: ExamplePick) => void) {
    this.split.setAttribute('aria-label', 'data split');
    this.split.id = 'pick-split';
    for (const s of ['train', 'validation'] as const) {
      const option = document.createElement('vscode-option');
      option.setAttribute('value', s);
      option.textContent = SPLIT_NAMES[s];
      this.split.append(option);
    }
    this.index.setAttribute('type', 'number');
    this.index.setAttribute('min', '0');
    this.index.setAttribute('aria-label', 'example number');
    this.index.id = 'pick-index';
    this.index.className = 'num';
    this.index.value = '0';
    const prev = button('‹ previous', 'pick-prev', () => this.step(-1));
    const next = button('next ›', 'pick-next', () => this.step(1));
    const show = button('Show feature maps', 'pick-show', () => this.request());
    this.split.addEventListener('change', () => this.request());
    this.index.addEventListener('change', () => this.request());
    const bar = el('div', { class: 'toolbar' });
    bar.append(el('span', {}, 'example'), this.split, this.index, prev, next, show);
    // No blank space for the example until there is one to draw.
    this.example.hidden = true;
    this.root.append(bar, this.caption, this.example, this.layers);
  }

  /** The pick the fields show (index clamped to the split's size when it is known). */
  get current(): ExamplePick {
    const split: ExampleSplit = this.split.value === 'validation' ? 'validation' : 'train';
    const n = this.counts?.[split];
    let index = Math.max(0, Math.floor(Number(this.index.value) || 0));
    if (n !== undefined && n > 0) index = Math.min(index, n - 1);
    return { split, index };
  }

  /** Picks an example from outside the fields (a probe thumbnail, the state kept over a reload). */
  pick(pick: ExamplePick): void {
    this.split.value = pick.split;
    this.index.value = String(pick.index);
    this.request();
  }

  private step(delta: number): void {
    this.index.value = String(Math.max(0, (Number(this.index.value) || 0) + delta));
    this.request();
  }

  private request(): void {
    const pick = this.current;
    this.index.value = String(pick.index);
    this.caption.textContent = `Computing the feature maps of ${SPLIT_NAMES[pick.split]} example ${pick.index}…`;
    this.onPick(pick);
  }

  /** Draws an answer; false when there is none to draw (the caller then shows the recorded probe maps). */
  draw(reply: PickedMapsReply | undefined): boolean {
    if (!reply) return false;
    if ('error' in reply) {
      this.caption.textContent = reply.error;
      this.layers.replaceChildren();
      this.example.hidden = true;
      return true;
    }
    const m = reply.maps;
    this.counts = m.counts;
    if (document.activeElement !== this.index) {
      this.split.value = m.pick.split;
      this.index.value = String(m.pick.index);
    }
    this.index.setAttribute('max', String(Math.max(0, m.counts[m.pick.split] - 1)));
    const truth = m.classification ? `label ${m.label}` : `target ${m.label}`;
    const guess = m.classification ? `predicted ${m.predicted}${m.predicted === m.label ? ' ✓' : ' ✗'}` : `predicted ${m.predicted}`;
    this.caption.textContent = `${SPLIT_NAMES[m.pick.split]} example ${m.pick.index} of ${m.counts[m.pick.split]} · ${truth} · ${guess} · weights after ${m.epoch === 0 ? 'init' : `epoch ${m.epoch}`} (step ${m.step})`;
    const [h = 1, w = 1, c = 1] = m.input.shape;
    const input = decode(m.input);
    const inputImage: Image = { width: w, height: h, channels: c === 3 ? 3 : 1, values: c === 3 ? input : channel(input, c, 0) };
    const cell = Math.max(2, Math.floor(96 / Math.max(h, w)));
    this.example.hidden = false;
    drawImageGrid(surface(this.example, h * cell + 12), [inputImage], cell, false);
    this.layers.replaceChildren(...m.layers.map((layer) => {
      const figure = el('figure');
      const canvas = el('canvas', { class: 'layer-maps', 'data-layer': layer.id, 'aria-label': `Feature maps of ${layer.id}` });
      const [lh, lw, lc] = layer.shape;
      const cut = lc < layer.totalChannels ? ` (first ${lc} of ${layer.totalChannels} channels)` : '';
      const strided = layer.stride > 1 ? `, every ${layer.stride}th row and column` : '';
      figure.append(el('h2', {}, `${layer.id}: ${layer.totalChannels} maps of ${lh * layer.stride}×${lw * layer.stride}${cut}${strided}`), canvas);
      const values = decode(layer);
      const images: Image[] = Array.from({ length: lc }, (_, k) => ({ width: lw, height: lh, channels: 1, values: channel(values, lc, k) }));
      const mapCell = Math.max(3, Math.floor(64 / Math.max(lh, lw)));
      requestAnimationFrame(() => drawImageGrid(surface(canvas, gridHeight(canvas.clientWidth || 600, images, mapCell)), images, mapCell, false));
      return figure;
    }));
    markDrawn(m);
    return true;
  }
}

/** The example or a layer's maps as floats (the host checked that the bytes decode to the shape). */
function decode(part: Pick<PickedLayerMaps, 'shape' | 'quantized'>): Float32Array {
  return dequantizeExample(part.quantized, part.shape, 0) ?? new Float32Array(part.shape[0] * part.shape[1] * part.shape[2]);
}

/** What the e2e test reads: which example is drawn, and a hash of the values drawn for it. */
function markDrawn(m: PickedMaps): void {
  let hash = 0x811c9dc5;
  for (const layer of m.layers) {
    for (const v of decode(layer)) {
      hash ^= Math.round(v * 1000) & 0xffffffff;
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
  }
  document.body.dataset.picked = `${m.pick.split}:${m.pick.index}`;
  document.body.dataset.pickedLayers = String(m.layers.length);
  document.body.dataset.pickedEpoch = String(m.epoch);
  document.body.dataset.mapsHash = hash.toString(16);
}

function button(text: string, id: string, onClick: () => void): HTMLElement {
  const b = document.createElement('vscode-button');
  b.id = id;
  b.setAttribute('secondary', '');
  b.textContent = text;
  b.addEventListener('click', onClick);
  return b;
}

/** One (h, w) plane of an (h, w, c) array. */
export function channel(values: ArrayLike<number>, channels: number, k: number): number[] {
  const out: number[] = [];
  for (let i = k; i < values.length; i += channels) out.push(values[i] as number);
  return out;
}
