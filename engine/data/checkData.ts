// Checks of the data section that need the model (augmentation needs images) or the disk (does
// the file exist? does the CSV have the target column?). Only cheap checks run here, as the user
// types: a stat and at most the first 64 KB of a CSV. Everything else is checked when the worker loads.
// Files over the size limit (engine/data/dataLimits.ts) are refused here already, on their data line.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { splitCsvLine } from './csv';
import { fileBytesProblem } from './dataLimits';
import type { Checker } from '../../model/language/check';
import type { Range } from '../../model/language/diagnostic';
import type { DataSource, ModelSpec } from '../../model/language/model';

export function checkData(c: Checker, spec: ModelSpec, modelFile?: string): void {
  const data = spec.data;
  const at = (key: string): Range => data.ranges?.[key] ?? data.ranges?.data ?? spec.source.range;
  const input = spec.model.input;
  const imageInput = input.length === 3;
  if (data.augment && !imageInput) {
    c.report(at('augment'), `data.augment changes images: model.input must be [height, width, channels]; it is [${input.join(', ')}].`, 'augment-needs-images');
  }
  if (data.testTimeAugmentation && !imageInput) {
    c.report(at('testTimeAugmentation'), `testTimeAugmentation averages over views of images: model.input must be [height, width, channels]; it is [${input.join(', ')}].`, 'augment-needs-images');
  }
  if (data.source?.kind === 'images' && !imageInput) {
    c.report(at('images'), `Images need model.input [height, width, channels] (channels 1 for grey, 3 for colour); it is [${input.join(', ')}].`, 'input-shape');
  }
  if (data.source?.kind === 'images' && imageInput && input[2] !== 1 && input[2] !== 3) {
    c.report(at('images'), `Images are read with 1 (grey) or 3 (RGB) channels; model.input has ${input[2]}.`, 'input-shape');
  }
  if (!modelFile || !data.source) return;
  const base = dirname(modelFile);
  checkFiles(c, data.source, base, data.source.kind, at);
  if (data.validation) checkFiles(c, data.validation, base, 'validation', at);
}

function checkFiles(c: Checker, source: DataSource, base: string, key: string, at: (key: string) => Range): void {
  let bytes = 0;
  const need = (path: string, dir: boolean, what: string): boolean => {
    const full = resolve(base, path);
    let isDir: boolean;
    try {
      const s = statSync(full);
      isDir = s.isDirectory();
      if (!isDir) bytes += s.size;
    } catch {
      c.report(at(key), `${what} '${path}' not found (looked for ${full}).`, 'data-file');
      return false;
    }
    if (isDir !== dir) c.report(at(key), `'${path}' is a ${isDir ? 'folder' : 'file'}; ${what} must be a ${dir ? 'folder' : 'file'}.`, 'data-file');
    return isDir === dir;
  };
  const tooLarge = (what: string, many = false): boolean => {
    const problem = fileBytesProblem(what, bytes, many);
    if (problem) c.report(at(key), problem, 'data-too-large');
    return problem !== undefined;
  };
  if (source.kind === 'idx') {
    const images = need(source.images, false, 'The images file');
    const labels = need(source.labels, false, 'The labels file');
    if (images && labels) tooLarge(`'${source.images}' and '${source.labels}'`, true);
  } else if (source.kind === 'images') {
    // The folder's total is checked when training loads it: here it would take a stat per image per keystroke.
    need(source.folder, true, 'The image folder');
  } else if (need(source.path, false, 'The CSV file') && !tooLarge(`'${source.path}'`)) {
    const header = firstLine(resolve(base, source.path));
    const columns = header === undefined ? [] : splitCsvLine(header).map((s) => s.trim());
    if (header !== undefined && !columns.includes(source.target) && key !== 'validation') {
      c.report(at('target'), `'${source.path}' has no column '${source.target}'; its columns: ${columns.join(', ')}.`, 'data-target');
    }
  }
}

/** The first line of a file, reading at most 64 KB (a header longer than that is not checked here). */
function firstLine(path: string): string | undefined {
  const buf = Buffer.alloc(65536);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    const end = text.search(/\r?\n/);
    return end >= 0 ? text.slice(0, end) : n < buf.length ? text : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
