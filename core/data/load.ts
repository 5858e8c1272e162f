// Makes the Dataset a DataSpec names: generated in memory or read from the files the extension ships.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DataSpec } from '../spec/model';
import { makeRng, shuffleInPlace } from '../util/random';
import { DATASETS } from './catalog';
import type { Dataset } from './dataset';
import { generate } from './generate';
import { parseIdx } from './idx';

/** `datasetsDir`: the folder holding the shipped files (media/datasets in the extension). */
export function loadDataset(spec: DataSpec, datasetsDir: string): Dataset {
  const def = DATASETS[spec.dataset];
  if (!def) throw new Error(`Unknown data set '${spec.dataset}'.`);
  if (def.generated) return generate(spec.dataset, { samples: spec.samples, noise: spec.noise, seed: spec.seed, classes: spec.classes });
  if (spec.dataset === 'digits') return take(shuffled(loadDigits(datasetsDir), spec.seed), spec.samples);
  throw new Error(`No loader for '${spec.dataset}'.`);
}

function loadDigits(dir: string): Dataset {
  const read = (file: string) => {
    const path = join(dir, file);
    try {
      return parseIdx(readFileSync(path));
    } catch (e) {
      throw new Error(`Cannot read the digits data set at ${path}: ${(e as Error).message}`);
    }
  };
  const images = read('digits-images.idx3-ubyte.gz');
  const labels = read('digits-labels.idx1-ubyte.gz');
  const n = images.dims[0] ?? 0;
  if (labels.dims[0] !== n) throw new Error(`digits: ${n} images but ${labels.dims[0]} labels.`);
  // Pixels are counts 0..16; scale to 0..1 so that default initializers and learning rates fit.
  const x = Float32Array.from(images.data, (v) => v / 16);
  const y = Float32Array.from(labels.data);
  return { name: 'digits', x, y, n, shape: [64], classes: 10, task: 'multiclass' };
}

/** `samples:` on a shipped set keeps the first N examples (after the seeded shuffle). */
function take(ds: Dataset, n: number): Dataset {
  if (n >= ds.n) return ds;
  const size = ds.x.length / ds.n;
  return { ...ds, x: ds.x.slice(0, n * size), y: ds.y.slice(0, n), n };
}

/** Shipped sets are stored sorted by source; shuffle once (seeded) so the validation split is fair. */
function shuffled(ds: Dataset, seed: number): Dataset {
  const order = shuffleInPlace(Array.from({ length: ds.n }, (_, i) => i), makeRng(seed ^ 0x5eed));
  const size = ds.x.length / ds.n;
  const x = new Float32Array(ds.x.length);
  const y = new Float32Array(ds.n);
  order.forEach((from, to) => {
    x.set(ds.x.subarray(from * size, (from + 1) * size), to * size);
    y[to] = ds.y[from] as number;
  });
  return { ...ds, x, y };
}
