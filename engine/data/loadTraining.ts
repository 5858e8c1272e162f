// The training and validation sets of a model file: a built-in set, or the user's CSV, IDX or image
// files (paths relative to the model file). Shuffled with the data seed, split (or the explicit
// validation data loaded), CSV features standardised with the training split's statistics, and
// checked against the model, so that a mismatch is one clear message naming the model file's line.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { analyzeShapes } from '../../model/analysis/shapes';
import { Checker } from '../../model/language/check';
import type { DataSource, ModelSpec } from '../../model/language/model';
import { makeRng } from '../../common/random';
import { loadCsv } from './csv';
import { DataError } from './dataError';
import { checkFeatureBytes, checkFileBytes } from './dataLimits';
import { applyStandardizer, fitStandardizer, shuffleRows, splitDataset, takeRows, type Dataset } from './dataset';
import { parseIdx } from './idx';
import { loadImageFolder } from './images';
import { loadDataset } from './load';

export interface DataPlace {
  /** The shipped sets (media/datasets). */
  datasetsDir: string;
  /** Absolute path of the model file ('' for unsaved text: paths are then relative to the current folder). */
  modelFile: string;
}

export interface TrainingData {
  train: Dataset;
  val: Dataset;
}

/** A DataError placed in the model file: `message` names file:line, `detail` is the bare reason, `key` the data key it is on. */
export class DataLoadError extends Error {
  constructor(message: string, readonly detail: string, readonly key: string | undefined) {
    super(message);
    this.name = 'DataLoadError';
  }
}

export function loadTrainingData(spec: ModelSpec, place: DataPlace): TrainingData {
  try {
    const data = spec.data.source ? loadUserData(spec, place) : splitDataset(loadDataset(spec.data, place.datasetsDir), spec.data.validationSplit);
    checkAgainstModel(spec, data.train);
    return data;
  } catch (e) {
    if (!(e instanceof DataError)) throw e;
    const range = spec.data.ranges?.[e.key] ?? spec.data.ranges?.data;
    const where = range ? `${place.modelFile || 'model'}:${range.start.line + 1}:${range.start.character + 1}: ` : '';
    throw new DataLoadError(`${where}${e.message}`, e.message, spec.data.ranges?.[e.key] ? e.key : undefined);
  }
}

/** Regression losses take the target as a number; every other loss takes class labels. */
const isRegressionLoss = (loss: string): boolean => !/crossentropy|kullback|hinge/i.test(loss);

function loadUserData(spec: ModelSpec, place: DataPlace): TrainingData {
  const { data } = spec;
  const source = data.source as DataSource;
  const base = place.modelFile ? dirname(place.modelFile) : process.cwd();
  const classify = !isRegressionLoss(spec.train.loss);
  const input = spec.model.input;
  const read = (src: DataSource, key: string, like?: Dataset & { classNames?: string[] }): Dataset & { classNames?: string[] } => {
    const names = like?.classNames ? { classNames: like.classNames } : {};
    if (src.kind === 'csv') {
      const path = existing(base, src.path, key);
      checkFileBytes(`'${src.path}'`, statSync(path).size, key);
      return loadCsv(path, { target: src.target, classify, label: src.path, key, ...names });
    }
    if (src.kind === 'images') {
      if (input.length !== 3) throw new DataError(`Images need model.input [height, width, channels]; it is [${input.join(', ')}].`, key);
      return loadImageFolder(existing(base, src.folder, key), { shape: input as [number, number, number], resize: data.resize ?? false, label: src.folder, key, ...names });
    }
    return loadIdx(base, src, key, like?.classes);
  };
  const all = read(source, source.kind);
  const shuffled = takeRows(shuffleRows(all, makeRng(data.seed ^ 0x5eed)), data.samples);
  let split: TrainingData;
  if (data.validation) {
    const val = read(data.validation, 'validation', all);
    if (val.x.length / Math.max(1, val.n) !== all.x.length / Math.max(1, all.n)) {
      throw new DataError(`The validation data has ${val.x.length / val.n} values per example; the training data has ${all.x.length / all.n}.`, 'validation');
    }
    split = { train: shuffled, val: { ...val, classes: all.classes, task: all.task } };
  } else split = splitDataset(shuffled, data.validationSplit);
  if (source.kind === 'csv' && data.standardize !== false) {
    const s = fitStandardizer(split.train);
    applyStandardizer(split.train, s);
    if (split.val.n > 0) applyStandardizer(split.val, s);
  }
  return split;
}

function existing(base: string, path: string, key: string): string {
  const full = resolve(base, path);
  if (!existsSync(full)) throw new DataError(`'${path}' not found (looked for ${full}).`, key);
  return full;
}

/** MNIST-style IDX files: images [n, rows, cols] (or [n, rows, cols, channels]) of bytes, labels [n]. */
function loadIdx(base: string, src: { images: string; labels: string }, key: string, classes?: number): Dataset {
  const size = (path: string): number => {
    try {
      return statSync(resolve(base, path)).size;
    } catch {
      return 0; // not found: said when it is read
    }
  };
  // Both files before reading either: each is read whole.
  checkFileBytes(`'${src.images}' and '${src.labels}'`, size(src.images) + size(src.labels), key, true);
  const parse = (path: string) => {
    const full = resolve(base, path);
    let bytes: Buffer;
    try {
      bytes = readFileSync(full);
    } catch (e) {
      throw new DataError((e as NodeJS.ErrnoException).code === 'ENOENT' ? `'${path}' not found (looked for ${full}).` : `Cannot read '${path}': ${(e as Error).message}`, key);
    }
    try {
      return parseIdx(bytes);
    } catch (e) {
      throw new DataError(`${path}: ${(e as Error).message}`, key);
    }
  };
  const images = parse(src.images);
  const labels = parse(src.labels);
  const [n = 0, rows = 1, cols = 1, channels = 1] = images.dims;
  if (images.dims.length < 3) throw new DataError(`${src.images}: an images file has 3 or 4 dimensions (count, rows, columns[, channels]); this one has ${images.dims.length}. Are images and labels swapped?`, key);
  if (labels.dims.length !== 1) throw new DataError(`${src.labels}: a labels file has 1 dimension; this one has ${labels.dims.length}. Are images and labels swapped?`, key);
  if (labels.dims[0] !== n) throw new DataError(`${src.images} holds ${n} images but ${src.labels} holds ${labels.dims[0]} labels.`, key);
  checkFeatureBytes(`'${src.images}' (${n.toLocaleString('en-US')} images)`, images.data.length, key);
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / 255;
  const y = Float32Array.from(labels.data);
  let max = 0;
  for (const v of labels.data) max = Math.max(max, v);
  const k = classes ?? max + 1;
  if (max >= k) throw new DataError(`${src.labels} has the label ${max}; the training labels go up to ${k - 1}.`, key);
  return { name: src.images, x, y, n, shape: [rows, cols, channels], classes: k, task: k === 2 ? 'binary' : 'multiclass' };
}

/** What parse-time rules cannot know for the user's files: the example size and the classes. */
function checkAgainstModel(spec: ModelSpec, train: Dataset): void {
  if (!spec.data.source) return;
  const key = spec.data.source.kind;
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const perExample = train.x.length / Math.max(1, train.n);
  const input = spec.model.input;
  if (perExample !== size(input)) {
    const what = key === 'csv' ? `${perExample} feature columns` : `examples of shape [${train.shape.join(', ')}] (${perExample} values)`;
    throw new DataError(`The data has ${what}; model.input [${input.join(', ')}] holds ${size(input)}.`, key);
  }
  const out = analyzeShapes(new Checker(), input, spec.model.layers)?.outputShape;
  const units = out?.length === 1 ? (out[0] as number) : undefined;
  const labelKey = key === 'csv' ? 'target' : key;
  const loss = spec.train.loss;
  if (train.task === 'regression') {
    if (units !== undefined && units !== 1) throw new DataError(`The target is one number per example (regression with ${loss}); the last layer has ${units} units: use 1.`, labelKey);
    return;
  }
  const names = (train as Dataset & { classNames?: string[] }).classNames;
  const classText = `${train.classes} classes${names ? ` (${names.slice(0, 10).join(', ')}${names.length > 10 ? ', ...' : ''})` : ''}`;
  if (train.classes < 2) {
    // Softmax over one unit is always 1, so no loss or output can learn from a single class.
    throw new DataError(`The target has a single class (${names?.[0] ?? 'one value'}): a classifier needs examples of at least two. Check the target column and the rows, or, for a number to predict, use a regression loss such as meanSquaredError.`, labelKey);
  }
  if (loss === 'binaryCrossentropy' && train.classes !== 2) {
    throw new DataError(`binaryCrossentropy takes labels 0 and 1 (two classes); the data has ${classText}: use categoricalCrossentropy with ${train.classes} softmax units.`, labelKey);
  }
  if (units !== undefined && units !== 1 && units !== train.classes) {
    throw new DataError(`The data has ${classText}; the last layer has ${units} units: it needs one per class.`, labelKey);
  }
  if (units === 1 && train.classes !== 2) {
    throw new DataError(`The last layer has 1 unit, for two classes; the data has ${classText}.`, labelKey);
  }
}
