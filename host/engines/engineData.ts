// The data a Python engine trains on, written by the host (docs/engines.md "Data"): the same loaders,
// split, standardisation and label encoding as the tfjs engine, as data.json (shapes, offsets) and
// data.bin (little-endian float32). One loader for both engines means the same rows and the same
// messages on the same lines, and the runner needs no CSV or image code of its own.
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeShapes } from '../../model/analysis/shapes';
import { Checker } from '../../model/language/check';
import type { ModelSpec } from '../../model/language/model';
import { loadTrainingData, type DataPlace } from '../../engine/data/loadTraining';
import { encodeLabels } from '../../engine/data/encodeLabels';
import type { Dataset } from '../../engine/data/dataset';

interface Part {
  n: number;
  xShape: number[];
  yShape: number[];
  /** [offset, length] in float32 elements of data.bin. */
  x: [number, number];
  y: [number, number];
}

export interface EngineDataFile {
  task: 'classification' | 'regression';
  classes: number;
  train: Part;
  val: Part;
}

/** Loads the model's data (a DataLoadError names the line) and writes dir/data.json + dir/data.bin; returns data.json's path. */
export function writeEngineData(spec: ModelSpec, place: DataPlace, dir: string): { file: string; data: EngineDataFile } {
  const sets = loadTrainingData(spec, place);
  const units = analyzeShapes(new Checker(), spec.model.input, spec.model.layers)?.outputShape.at(-1) ?? 1;
  mkdirSync(dir, { recursive: true });
  const fd = openSync(join(dir, 'data.bin'), 'w');
  let offset = 0;
  const put = (a: Float32Array): [number, number] => {
    // Float32Array is host-endian; every platform Node ships on is little-endian.
    writeSync(fd, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    const at: [number, number] = [offset, a.length];
    offset += a.length;
    return at;
  };
  const part = (ds: Dataset): Part => {
    const { y, yWidth } = encodeLabels(ds, units);
    return { n: ds.n, xShape: [...spec.model.input], yShape: [yWidth], x: put(ds.x), y: put(y) };
  };
  let data: EngineDataFile;
  try {
    data = { task: sets.train.task === 'regression' ? 'regression' : 'classification', classes: sets.train.classes, train: part(sets.train), val: part(sets.val) };
  } finally {
    closeSync(fd);
  }
  const file = join(dir, 'data.json');
  writeFileSync(file, JSON.stringify(data));
  return { file, data };
}
