import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { loadImageFolder } from '../../engine/data/images';
import { loadTrainingData } from '../../engine/data/loadTraining';
import { parseModelWithDataFiles } from '../../engine/data/dataFiles';
import { datasetsDir } from './helpers';

const dir = mkdtempSync(join(tmpdir(), 'modellab-img-'));
const modelFile = join(dir, 'm.model.yaml');

function idx(dims: number[], bytes: number[]): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(bytes)]);
}

/** An RGBA image of one colour. */
function png(w: number, h: number, rgb: [number, number, number]): Buffer {
  const p = new PNG({ width: w, height: h });
  for (let i = 0; i < w * h; i++) p.data.set([...rgb, 255], i * 4);
  return PNG.sync.write(p);
}
function jpeg(w: number, h: number, rgb: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) data.set([...rgb, 255], i * 4);
  return encodeJpeg({ width: w, height: h, data }, 95).data;
}

const model = (data: string, input: string, units = 2, loss = 'categoricalCrossentropy') =>
  `name: t\ndata:\n${data}\nmodel:\n  input: ${input}\n  layers:\n    - flatten\n    - dense: {units: ${units}, activation: softmax}\ntrain:\n  loss: ${loss}\n  seed: 1\n`;
const load = async (text: string) => {
  const r = await parseModelWithDataFiles(text, { modelFile });
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return loadTrainingData(r.spec, { datasetsDir, modelFile });
};

test('IDX files a user downloaded, gzipped or not: images scaled to 0..1, labels as classes', async () => {
  const pixels = Array.from({ length: 6 * 4 }, (_, i) => (i * 10) % 256);
  writeFileSync(join(dir, 'img.idx3-ubyte'), idx([6, 2, 2], pixels));
  writeFileSync(join(dir, 'lab.idx1-ubyte.gz'), gzipSync(idx([6], [0, 1, 2, 0, 1, 2])));
  const { train, val } = await load(model('  idx: {images: img.idx3-ubyte, labels: lab.idx1-ubyte.gz}\n  validationSplit: 0.5', '[2, 2, 1]', 3));
  assert.equal(train.n, 3);
  assert.equal(val.n, 3);
  assert.equal(train.classes, 3);
  assert.deepEqual(train.shape, [2, 2, 1]);
  // Each image's first pixel identifies it (i*4*10 % 256): its label must have travelled with it.
  for (const part of [train, val]) {
    for (let i = 0; i < part.n; i++) {
      const image = Math.round((part.x[i * 4]! * 255) / 40);
      assert.equal(part.y[i], image % 3);
    }
  }
});

test('IDX errors: missing file in the editor and at load, count mismatch, swapped files', async () => {
  const missing = await parseModelWithDataFiles(model('  idx: {images: none.idx, labels: lab.idx1-ubyte.gz}', '[2, 2, 1]'), { modelFile });
  assert.ok(missing.diagnostics.some((d) => d.code === 'data-file' && d.range.start.line === 2 && /The images file 'none\.idx' not found/.test(d.message)));
  writeFileSync(join(dir, 'lab5.idx'), idx([5], [0, 1, 0, 1, 0]));
  await assert.rejects(() => load(model('  idx: {images: img.idx3-ubyte, labels: lab5.idx}', '[2, 2, 1]', 3)), /m\.model\.yaml:3:8: img\.idx3-ubyte holds 6 images but lab5\.idx holds 5 labels/);
  await assert.rejects(() => load(model('  idx: {images: lab5.idx, labels: img.idx3-ubyte}', '[2, 2, 1]', 3)), /has 1\. Are images and labels swapped\?/);
  writeFileSync(join(dir, 'junk.idx'), Buffer.from('hello world'));
  await assert.rejects(() => load(model('  idx: {images: junk.idx, labels: lab5.idx}', '[2, 2, 1]', 3)), /junk\.idx: Not an unsigned-byte IDX file/);
  const noLabels = await parseModelWithDataFiles(model('  idx: {images: img.idx3-ubyte}', '[2, 2, 1]'), { modelFile });
  assert.ok(noLabels.diagnostics.some((d) => d.code === 'missing-key' && /needs 'labels'/.test(d.message)));
});

test('an image folder: one subfolder per class, PNG and JPEG, grey or RGB, in HWC order', () => {
  const root = join(dir, 'shapes');
  mkdirSync(join(root, 'red'), { recursive: true });
  mkdirSync(join(root, 'blue'), { recursive: true });
  writeFileSync(join(root, 'red', 'a.png'), png(4, 3, [255, 0, 0]));
  writeFileSync(join(root, 'red', 'b.jpg'), jpeg(4, 3, [255, 0, 0]));
  writeFileSync(join(root, 'blue', 'c.PNG'), png(4, 3, [0, 0, 255]));
  writeFileSync(join(root, 'blue', 'notes.txt'), 'not an image');
  const rgb = loadImageFolder(root, { shape: [3, 4, 3], resize: false, label: 'shapes', key: 'images' });
  assert.deepEqual(rgb.classNames, ['blue', 'red']);
  assert.equal(rgb.n, 3);
  assert.deepEqual(Array.from(rgb.y), [0, 1, 1]);
  assert.deepEqual(Array.from(rgb.x.subarray(0, 3)), [0, 0, 1]);
  assert.deepEqual(Array.from(rgb.x.subarray(36, 39)), [1, 0, 0]);
  const red = rgb.x.subarray(72, 75);
  assert.ok(red[0]! > 0.9 && red[1]! < 0.1 && red[2]! < 0.1, `JPEG red decodes close to red: ${red}`);
  const grey = loadImageFolder(root, { shape: [3, 4, 1], resize: false, label: 'shapes', key: 'images' });
  assert.ok(Math.abs(grey.x[0]! - 0.114) < 1e-3 && Math.abs(grey.x[12]! - 0.299) < 1e-3, 'luma of blue and red');
  const small = loadImageFolder(root, { shape: [2, 2, 3], resize: true, label: 'shapes', key: 'images' });
  assert.equal(small.x.length, 3 * 2 * 2 * 3);
  assert.deepEqual(Array.from(small.x.subarray(0, 3)), [0, 0, 1]);
});

test('image errors: mixed sizes without resize, a size that is not model.input, one class only, no images', async () => {
  const root = join(dir, 'mixed');
  mkdirSync(join(root, 'a'), { recursive: true });
  mkdirSync(join(root, 'b'), { recursive: true });
  writeFileSync(join(root, 'a', '1.png'), png(4, 4, [9, 9, 9]));
  writeFileSync(join(root, 'b', '2.png'), png(5, 4, [9, 9, 9]));
  await assert.rejects(() => load(model('  images: mixed', '[4, 4, 1]')),
    /m\.model\.yaml:3:11: Images of mixed sizes: mixed\/a\/1\.png is 4x4, mixed\/b\/2\.png is 5x4\. Add 'resize: true'/);
  const resized = await load(model('  images: mixed\n  resize: true\n  validationSplit: 0', '[4, 4, 1]'));
  assert.equal(resized.train.n, 2);
  await assert.rejects(() => load(model('  images: mixed', '[8, 8, 1]')), /The images are 4x4 \(width x height\); model\.input is 8x8/);
  mkdirSync(join(dir, 'one', 'only'), { recursive: true });
  await assert.rejects(() => load(model('  images: one', '[4, 4, 1]')), /one needs one subfolder per class \(at least two\); it has 1/);
  mkdirSync(join(dir, 'empty', 'a'), { recursive: true });
  mkdirSync(join(dir, 'empty', 'b'), { recursive: true });
  writeFileSync(join(dir, 'empty', 'a', '1.png'), png(4, 4, [0, 0, 0]));
  await assert.rejects(() => load(model('  images: empty', '[4, 4, 1]')), /empty\/b holds no \.png or \.jpg images/);
  const notImages = await parseModelWithDataFiles(model('  images: mixed', '[16]'), { modelFile });
  assert.ok(notImages.diagnostics.some((d) => d.code === 'input-shape' && d.range.start.line === 2));
  const missing = await parseModelWithDataFiles(model('  images: nowhere', '[4, 4, 1]'), { modelFile });
  assert.ok(missing.diagnostics.some((d) => d.code === 'data-file' && /The image folder 'nowhere' not found/.test(d.message)));
});
