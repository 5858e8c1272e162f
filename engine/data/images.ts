// Image folders: one subfolder per class (its name is the class), PNG and JPEG files inside,
// decoded with pngjs and jpeg-js (pure JavaScript, so the worker bundle needs no native module).
// Pixels become 0..1 floats in HWC order, grey (1 channel) or RGB (3), written straight into one
// array allocated once for the whole set.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { decode as decodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError } from './dataError';
import { checkFeatureBytes, checkFileBytes } from './dataLimits';
import type { Dataset } from './dataset';

export interface ImageFolderOptions {
  /** Output [height, width, channels]: model.input. */
  shape: [number, number, number];
  /** false: every image must already be height x width. */
  resize: boolean;
  label: string;
  key: string;
  /** Class names (subfolders) of the training folder, so the validation folder uses the same indices. */
  classNames?: string[];
}

export interface RgbaImage {
  width: number;
  height: number;
  /** 4 bytes per pixel. */
  data: Uint8Array;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);
/** Memory one decoded image may take (RGBA): far above any training image, far below the worker's heap. */
const MAX_IMAGE_MB = 256;

export function decodeImage(bytes: Buffer, file: string): RgbaImage {
  const ext = extname(file).toLowerCase();
  if (ext === '.png') {
    // The header says the size: a small file can unpack to gigabytes of pixels (jpeg-js is bounded below).
    const pixels = bytes.length >= 24 ? bytes.readUInt32BE(16) * bytes.readUInt32BE(20) : 0;
    if (pixels * 4 > MAX_IMAGE_MB * 1024 * 1024) throw new Error(`it is ${bytes.readUInt32BE(16)}x${bytes.readUInt32BE(20)} pixels, more than ${MAX_IMAGE_MB} MB decoded`);
    const png = PNG.sync.read(bytes);
    return { width: png.width, height: png.height, data: png.data };
  }
  return decodeJpeg(bytes, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: MAX_IMAGE_MB });
}

export function loadImageFolder(folder: string, o: ImageFolderOptions): Dataset & { classNames: string[] } {
  let entries: string[];
  try {
    entries = readdirSync(folder).sort();
  } catch (e) {
    throw new DataError(`Cannot read the image folder ${o.label}: ${(e as Error).message}`, o.key);
  }
  const classNames = o.classNames ?? entries.filter((name) => statSync(join(folder, name)).isDirectory());
  if (classNames.length < 2) throw new DataError(`${o.label} needs one subfolder per class (at least two); it has ${classNames.length}.`, o.key);
  const files: { path: string; label: number }[] = [];
  classNames.forEach((name, label) => {
    let inside: string[];
    try {
      inside = readdirSync(join(folder, name)).sort();
    } catch {
      throw new DataError(`${o.label}: no subfolder '${name}' (the training data has the classes ${classNames.join(', ')}).`, o.key);
    }
    const images = inside.filter((f) => IMAGE_EXT.has(extname(f).toLowerCase()));
    if (images.length === 0) throw new DataError(`${o.label}/${name} holds no .png or .jpg images.`, o.key);
    for (const f of images) files.push({ path: join(name, f), label });
  });
  const [h, w, c] = o.shape;
  const size = h * w * c;
  // Before decoding anything: the files are read one at a time, the features are one array.
  checkFileBytes(`The ${files.length.toLocaleString('en-US')} images in ${o.label}`, files.reduce((sum, f) => sum + statSync(join(folder, f.path)).size, 0), o.key, true);
  checkFeatureBytes(`${o.label} (${files.length.toLocaleString('en-US')} images of ${h}x${w}x${c})`, files.length * size, o.key);
  const x = new Float32Array(files.length * size);
  const y = new Float32Array(files.length);
  let first: { path: string; width: number; height: number } | undefined;
  files.forEach(({ path, label }, i) => {
    let img: RgbaImage;
    try {
      img = decodeImage(readFileSync(join(folder, path)), path);
    } catch (e) {
      throw new DataError(`${o.label}/${path}: cannot decode the image (${(e as Error).message}).`, o.key);
    }
    first ??= { path, width: img.width, height: img.height };
    if (!o.resize && (img.width !== first.width || img.height !== first.height)) {
      throw new DataError(`Images of mixed sizes: ${o.label}/${first.path} is ${first.width}x${first.height}, ${o.label}/${path} is ${img.width}x${img.height}. Add 'resize: true' to data to resize them all to model.input.`, o.key);
    }
    if (!o.resize && (img.width !== w || img.height !== h)) {
      throw new DataError(`The images are ${img.width}x${img.height} (width x height); model.input is ${h}x${w} (height x width). Set model.input to [${img.height}, ${img.width}, ${c}] or add 'resize: true' to data.`, o.key);
    }
    writePixels(img, x.subarray(i * size, (i + 1) * size), h, w, c);
    y[i] = label;
  });
  return { name: o.label, x, y, n: files.length, shape: [h, w, c], classes: classNames.length, task: classNames.length === 2 ? 'binary' : 'multiclass', classNames };
}

/** Bilinear resize of RGBA to h x w, then grey (ITU-R BT.601 luma) or RGB, scaled to 0..1. */
export function writePixels(img: RgbaImage, out: Float32Array, h: number, w: number, c: number): void {
  const sy = img.height / h;
  const sx = img.width / w;
  const px = (xx: number, yy: number, ch: number): number => img.data[(yy * img.width + xx) * 4 + ch] as number;
  for (let oy = 0; oy < h; oy++) {
    // Sample at pixel centres, so a same-size "resize" copies pixels exactly.
    const fy = Math.min(img.height - 1, Math.max(0, (oy + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(img.height - 1, y0 + 1);
    const dy = fy - y0;
    for (let ox = 0; ox < w; ox++) {
      const fx = Math.min(img.width - 1, Math.max(0, (ox + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(img.width - 1, x0 + 1);
      const dx = fx - x0;
      const sample = (ch: number) =>
        (px(x0, y0, ch) * (1 - dx) + px(x1, y0, ch) * dx) * (1 - dy) + (px(x0, y1, ch) * (1 - dx) + px(x1, y1, ch) * dx) * dy;
      const o = (oy * w + ox) * c;
      if (c === 1) out[o] = (0.299 * sample(0) + 0.587 * sample(1) + 0.114 * sample(2)) / 255;
      else for (let ch = 0; ch < 3; ch++) out[o + ch] = sample(ch) / 255;
    }
  }
}
