// Makes the Dataset a built-in DataSpec names: generated in memory or read from the files the
// extension ships. The user's own files are read by loadTraining.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { DataSpec } from '../../model/language/model';
import { makeRng } from '../../common/random';
import { DATASETS } from '../../model/datasets';
import { fitStandardizer, applyStandardizer, shuffleRows, takeRows, type Dataset } from './dataset';
import { generate } from './generate';
import { parseIdx } from './idx';
import { loadCsvText } from './csv';

/** `datasetsDir`: the folder holding the shipped files (media/datasets in the extension). */
export function loadDataset(spec: DataSpec, datasetsDir: string): Dataset {
  const def = DATASETS[spec.dataset];
  if (!def) throw new Error(`Unknown data set '${spec.dataset}'.`);
  if (def.generated) {
    return generate(spec.dataset, { samples: spec.samples, noise: spec.noise, seed: spec.seed, classes: spec.classes, ...spec.generator });
  }
  const shipped = loadShipped(spec.dataset, datasetsDir);
  // Shipped sets are stored sorted by source; shuffle once (seeded) so the validation split is fair.
  return takeRows(shuffleRows(shipped, makeRng(spec.seed ^ 0x5eed)), spec.samples);
}

function loadShipped(name: string, dir: string): Dataset {
  const read = (file: string): Buffer => {
    const path = join(dir, file);
    try {
      return readFileSync(path);
    } catch (e) {
      throw new Error(`Cannot read the ${name} data set at ${path}: ${(e as Error).message}`);
    }
  };
  if (name === 'digits') return idxPair(name, read('digits-images.idx3-ubyte.gz'), read('digits-labels.idx1-ubyte.gz'), 16, [64]);
  if (name === 'mnist') return idxPair(name, read('mnist-images.idx3-ubyte.gz'), read('mnist-labels.idx1-ubyte.gz'), 255, [28, 28, 1]);
  if (name === 'iris') {
    const ds = loadCsvText(gunzipSync(read('iris.csv.gz')).toString('utf8'), 'species', name);
    // Iris is tiny and fixed: standardise with the whole set's statistics (cm scales differ 4x).
    applyStandardizer(ds, fitStandardizer(ds));
    return ds;
  }
  throw new Error(`No loader for '${name}'.`);
}

/** Pixels are divided by `max` so that they lie in 0..1 and default initializers and learning rates fit. */
function idxPair(name: string, imageFile: Buffer, labelFile: Buffer, max: number, shape: number[]): Dataset {
  const images = parseIdx(imageFile);
  const labels = parseIdx(labelFile);
  const n = images.dims[0] ?? 0;
  if (labels.dims[0] !== n) throw new Error(`${name}: ${n} images but ${labels.dims[0]} labels.`);
  // A plain loop: Float32Array.from with a map function costs ~100 ns a pixel (0.4 s for MNIST's 3.9 M).
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = (images.data[i] as number) / max;
  const y = Float32Array.from(labels.data);
  const classes = DATASETS[name]?.classes ?? 10;
  return { name, x, y, n, shape, classes, task: 'multiclass' };
}
