// Filters view: a conv layer's kernels as an image grid (RGB for a 3-channel first layer, else one
// tile per filter and input channel, blue negative / orange positive), with a shared or per-filter
// scale, for any epoch; and the feature maps of every conv layer for an example the user picks from
// the data (pickedMapsView.ts). Until a pick is answered, the recorded maps of the probe inputs.
import type { ExamplePick } from '../../protocol/pickedMaps';
import { type ConvolutionSetup, MAX_GRID } from '../../protocol/convolution';
import { type FeatureMaps, type FilterImages, type LayerStats, type StatsRecord, filterStackShape } from '../../protocol/stats';
import { dequantizeExample } from '../../common/stats/mapCodec';
import { el, Picker, RecordSlider } from './controls';
import { drawImageGrid, gridHeight, surface, type Image } from './draw';
import { channel, PickedMapsView } from './pickedMapsView';
import type { InsideData, InsideViewRenderer } from './view';

const MAX_CHANNELS = 8;

export class FiltersView implements InsideViewRenderer {
  private readonly slider: RecordSlider;
  private readonly picker: Picker;
  private readonly shared = el('input', { type: 'checkbox', id: 'shared-scale', checked: '' });
  private readonly info = el('p', { class: 'info' });
  private readonly filters = el('canvas', { id: 'filters', 'aria-label': 'Convolution filters' });
  private readonly inputs = el('div', { class: 'inputs', id: 'probe-inputs' });
  private readonly maps = el('canvas', { id: 'feature-maps', 'aria-label': 'Feature maps for the picked input' });
  private readonly exploreBar = el('div', { class: 'toolbar', id: 'explore-bar' });
  private readonly exploreFilter = el('input', { type: 'number', id: 'explore-filter', min: '1', value: '1', 'aria-label': 'filter to explore' });
  private readonly exploreButton = el('button', { id: 'explore-convolution' }, 'Open in Convolution Explorer');
  private picked = 0;
  private data: InsideData | undefined;
  private readonly pickedView: PickedMapsView;

  constructor(root: HTMLElement, onPick: (pick: ExamplePick) => void, private readonly onExplore: (setup: ConvolutionSetup) => void) {
    this.pickedView = new PickedMapsView(onPick);
    this.slider = new RecordSlider(() => this.draw());
    this.picker = new Picker('conv layer', () => this.draw());
    this.shared.addEventListener('change', () => this.draw());
    const bar = el('div', { class: 'toolbar' });
    const label = el('label');
    label.append(this.shared, document.createTextNode(' one scale for all filters'));
    bar.append(el('span', {}, 'layer'), this.picker.root, this.slider.root, label);
    const filterLabel = el('label', {}, 'filter ');
    filterLabel.append(this.exploreFilter);
    this.exploreBar.append(filterLabel, this.exploreButton, el('span', { class: 'info' }, 'on the picked input: its arithmetic, cell by cell'));
    this.exploreButton.addEventListener('click', () => this.explore());
    root.append(bar, this.info, this.filters, this.exploreBar, el('h2', {}, 'Feature maps: pick an input'), this.inputs, this.pickedView.root, this.maps);
  }

  update(data: InsideData): void {
    this.data = data;
    this.draw();
  }

  /** Asks again for a pick kept over a reload (the host has no answer for it yet). */
  repick(pick: ExamplePick): void {
    this.pickedView.pick(pick);
  }

  private draw(): void {
    const data = this.data;
    if (!data) return;
    const record = data.records[this.slider.update(data.records)];
    const convs = record?.layers.filter((l) => l.filters) ?? [];
    const id = this.picker.update(convs.map((l) => ({ value: l.id, label: l.id })));
    const layer = convs.find((l) => l.id === id);
    if (!layer?.filters) {
      this.info.textContent = 'This model has no conv2d layer, or no statistics yet.';
      surface(this.filters, 10);
      return;
    }
    const { images, columns } = filterImages(layer, record?.layers[0]?.id === layer.id);
    const cell = Math.max(4, Math.min(24, Math.floor(120 / Math.max(layer.filters.shape[0], layer.filters.shape[1]))));
    const width = this.filters.clientWidth || 600;
    drawImageGrid(surface(this.filters, gridHeight(width, images, cell, columns)), images, cell, this.shared.checked, columns);
    const [kh, kw, cin, shown] = layer.filters.shape;
    this.info.textContent = `${layer.id}: ${layer.filters.totalFilters} filters of ${kh}×${kw}×${cin}${shown < layer.filters.totalFilters ? ` (first ${shown} shown)` : ''}; ${columns === Infinity ? 'one tile per filter' : `one row per filter, one tile per input channel${cin > MAX_CHANNELS ? ` (first ${MAX_CHANNELS})` : ''}`}.`;
    document.body.dataset.filters = String(images.length);
    // The explorer needs the layer's input: the first layer sees the picked example itself.
    this.exploreBar.hidden = !(record?.layers[0]?.id === layer.id && data.records.some((r) => r.probeInputs));
    this.exploreFilter.max = String(shown);
    this.drawMaps(data.records, layer);
  }

  /** The first conv layer's filter, on the picked probe input (its first channel), as explorer grids. */
  private explore(): void {
    const data = this.data;
    const record = data?.records[this.slider.update(data.records)];
    const layer = record?.layers.find((l) => l.id === this.picker.update(record.layers.filter((x) => x.filters).map((x) => ({ value: x.id, label: x.id }))));
    const probe = data?.records.find((r) => r.probeInputs)?.probeInputs;
    const f = layer?.filters;
    const values = f && filterValues(f);
    if (!record || !layer || !f || !values || !probe) return;
    const [kh, kw, cin, cout] = f.shape;
    const o = Math.min(cout, Math.max(1, Math.round(Number(this.exploreFilter.value) || 1))) - 1;
    const [h = 1, w = 1, c = 1] = probe.shape;
    const example = probe.examples[this.picked] ?? probe.examples[0] ?? [];
    const round = (v: number): number => Math.round(v * 1000) / 1000;
    // A large image is cut to the explorer's size around its centre.
    const rows = Math.min(h, MAX_GRID);
    const cols = Math.min(w, MAX_GRID);
    const top = Math.floor((h - rows) / 2);
    const left = Math.floor((w - cols) / 2);
    const input = Array.from({ length: rows }, (_, y) => Array.from({ length: cols }, (_, x) => round(example[((y + top) * w + (x + left)) * c] ?? 0)));
    const kernel = Array.from({ length: kh }, (_, y) => Array.from({ length: kw }, (_, x) => round(values[((y * kw + x) * cin) * cout + o] ?? 0)));
    const cut = rows < h || cols < w ? `, centre ${rows}×${cols}` : '';
    this.onExplore({
      title: `${layer.id} filter ${o + 1}${cin > 1 ? ' (input channel 1)' : ''}, weights after epoch ${record.epoch}, on training example ${this.picked + 1}${cut}`,
      input, kernel, stride: 1, padding: 0, pool: false, poolSize: 2, poolStride: 1,
    });
  }

  private drawMaps(records: StatsRecord[], layer: LayerStats): void {
    const probe = records.find((r) => r.probeInputs)?.probeInputs;
    if (probe && this.inputs.childElementCount !== probe.examples.length) {
      const [h = 1, w = 1, c = 1] = probe.shape;
      this.inputs.replaceChildren(...probe.examples.map((values, i) => {
        const button = el('button', { 'aria-label': `probe input ${i + 1}`, class: i === this.picked ? 'picked' : '' });
        const canvas = el('canvas');
        button.append(canvas);
        button.addEventListener('click', () => {
          this.picked = i;
          this.inputs.querySelectorAll('button').forEach((b, j) => b.classList.toggle('picked', j === i));
          // The probe inputs are the first training examples: the picker computes every layer's maps for it.
          this.pickedView.pick({ split: 'train', index: i });
          this.draw();
        });
        // Sized to the drawing, so the example keeps its aspect ratio (no sideways squeeze).
        const cell = Math.max(1, Math.floor(40 / Math.max(h, w)));
        canvas.style.width = `${w * cell + 12}px`;
        requestAnimationFrame(() => drawImageGrid(surface(canvas, h * cell + 12, 0), [{ width: w, height: h, channels: c === 3 ? 3 : 1, values: c === 3 ? values : channel(values, c, 0) }], cell, false));
        return button;
      }));
    }
    // An answered pick replaces the recorded probe maps (and a probe thumbnail shows when it is one).
    const answer = this.data?.picked;
    if (answer && 'maps' in answer) {
      const probeIndex = answer.pick.split === 'train' ? answer.pick.index : -1;
      this.inputs.querySelectorAll('button').forEach((b, j) => b.classList.toggle('picked', j === probeIndex));
    }
    // The recorded maps' canvas takes no room while an answered pick (or nothing) is shown.
    this.maps.hidden = true;
    if (this.pickedView.draw(answer)) return;
    const maps = layer.maps;
    const example = maps && probeMaps(maps, this.picked);
    if (!maps || !example) return;
    this.maps.hidden = false;
    const [h, w, c] = maps.shape;
    const images: Image[] = Array.from({ length: c }, (_, k) => ({ width: w, height: h, channels: 1, values: channel(example, c, k) }));
    const cell = Math.max(3, Math.floor(64 / Math.max(h, w)));
    drawImageGrid(surface(this.maps, gridHeight(this.maps.clientWidth || 600, images, cell)), images, cell, false);
  }
}

/** The maps of probe example `i` (the last one sent when fewer were): bytes from a worker, numbers from an older record. */
function probeMaps(maps: FeatureMaps, i: number): ArrayLike<number> | undefined {
  const sent = maps.quantized?.bytes.length ?? maps.examples?.length ?? 0;
  const at = Math.min(i, sent - 1);
  if (at < 0) return undefined;
  return maps.quantized ? dequantizeExample(maps.quantized, maps.shape, at) : maps.examples?.[at];
}

/** Filter values in (h, w, in, out) order: bytes from a worker, numbers from an older record. */
function filterValues(f: FilterImages): ArrayLike<number> | undefined {
  return f.quantized ? dequantizeExample(f.quantized, filterStackShape(f.shape), 0) : f.values;
}

/** Kernel (kh, kw, in, out) -> images: RGB per filter for 3 input channels of the first layer, else per channel. */
function filterImages(layer: LayerStats, first: boolean): { images: Image[]; columns: number } {
  const f = layer.filters as NonNullable<LayerStats['filters']>;
  const [kh, kw, cin, cout] = f.shape;
  const values = filterValues(f) ?? [];
  const at = (y: number, x: number, c: number, o: number): number => values[((y * kw + x) * cin + c) * cout + o] as number;
  const images: Image[] = [];
  if (cin === 3 && first) {
    for (let o = 0; o < cout; o++) {
      const values: number[] = [];
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) for (let c = 0; c < 3; c++) values.push(at(y, x, c, o));
      images.push({ width: kw, height: kh, channels: 3, values });
    }
    return { images, columns: Infinity };
  }
  const channels = Math.min(cin, MAX_CHANNELS);
  for (let o = 0; o < cout; o++) {
    for (let c = 0; c < channels; c++) {
      const values: number[] = [];
      for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) values.push(at(y, x, c, o));
      images.push({ width: kw, height: kh, channels: 1, values });
    }
  }
  return { images, columns: cin === 1 ? Infinity : channels };
}
