import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { generate } from '../../engine/data/generate';
import { parseIdx } from '../../engine/data/idx';
import { loadDataset } from '../../engine/data/load';
import { splitDataset } from '../../engine/data/dataset';
import { datasetsDir } from './helpers';

const spec = (dataset: string, extra: object = {}) => ({ dataset, samples: 400, noise: 0.05, validationSplit: 0.2, seed: 3, classes: 2, ...extra });

test('generated sets are seeded: same seed, same points; another seed, other points', () => {
  for (const name of ['xor', 'circles', 'spirals']) {
    const a = generate(name, { samples: 200, noise: 0.1, seed: 1 });
    const b = generate(name, { samples: 200, noise: 0.1, seed: 1 });
    const c = generate(name, { samples: 200, noise: 0.1, seed: 2 });
    assert.deepEqual(a.x, b.x, name);
    assert.notDeepEqual(a.x, c.x, name);
    assert.equal(a.n, 200);
    assert.equal(a.x.length, 400);
  }
});

test('xor labels follow the quadrant and both classes are present', () => {
  const ds = generate('xor', { samples: 1000, noise: 0, seed: 5 });
  let ones = 0;
  for (let i = 0; i < ds.n; i++) {
    const [x, y] = [ds.x[2 * i] as number, ds.x[2 * i + 1] as number];
    assert.equal(ds.y[i], x * y < 0 ? 1 : 0);
    assert.ok(Math.abs(x) >= 0.1 && Math.abs(y) >= 0.1, 'points keep away from the axes');
    ones += ds.y[i] as number;
  }
  assert.ok(ones > 400 && ones < 600, `balanced classes, got ${ones}`);
});

test('circles put class 1 inside and class 0 on the ring; spirals take a class count', () => {
  const c = generate('circles', { samples: 300, noise: 0, seed: 1 });
  for (let i = 0; i < c.n; i++) {
    const r = Math.hypot(c.x[2 * i] as number, c.x[2 * i + 1] as number);
    assert.ok(c.y[i] === 1 ? r <= 0.45 : r >= 0.65);
  }
  const s = generate('spirals', { samples: 300, noise: 0, seed: 1, classes: 3 });
  assert.deepEqual(new Set(s.y), new Set([0, 1, 2]));
  assert.equal(s.task, 'multiclass');
});

test('digits: the shipped 1,797 images load, scaled to 0..1, ten classes, seeded shuffle', () => {
  const ds = loadDataset(spec('digits', { classes: 10, samples: 1797 }), datasetsDir);
  assert.equal(ds.n, 1797);
  assert.deepEqual(ds.shape, [64]);
  assert.equal(ds.x.length, 1797 * 64);
  assert.ok(ds.x.every((v) => v >= 0 && v <= 1));
  assert.equal(Math.max(...ds.x), 1);
  const counts = new Array(10).fill(0);
  ds.y.forEach((l) => counts[l]++);
  assert.ok(counts.every((c) => c >= 170 && c <= 190), `per class: ${counts}`);
  const again = loadDataset(spec('digits', { classes: 10, samples: 1797 }), datasetsDir);
  assert.deepEqual(ds.y, again.y);
  const fewer = loadDataset(spec('digits', { classes: 10, samples: 100 }), datasetsDir);
  assert.equal(fewer.n, 100);
  assert.deepEqual(fewer.y, ds.y.slice(0, 100));
});

test('a missing data file is a clear error naming the path', () => {
  assert.throws(() => loadDataset(spec('digits', { classes: 10 }), '/nonexistent/datasets'), /Cannot read the digits data set at \/nonexistent\/datasets\/digits-images/);
});

test('IDX: round trip, gzip, and damaged headers', () => {
  const header = Buffer.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 1]);
  const file = Buffer.concat([header, Buffer.from([1, 2, 3, 4])]);
  const parsed = parseIdx(file);
  assert.deepEqual(parsed.dims, [2, 2, 1]);
  assert.deepEqual([...parsed.data], [1, 2, 3, 4]);
  assert.deepEqual(parseIdx(gzipSync(file)).dims, [2, 2, 1]);
  assert.throws(() => parseIdx(file.subarray(0, 18)), /holds 2 bytes of data; its header promises 4/);
  assert.throws(() => parseIdx(Buffer.from([0, 0, 9, 1, 0, 0, 0, 1, 0])), /Not an unsigned-byte IDX file/);
  assert.throws(() => parseIdx(Buffer.from([0, 0])), /too short/);
});

test('the validation split takes the tail fraction', () => {
  const ds = generate('xor', { samples: 100, noise: 0, seed: 1 });
  const { train, val } = splitDataset(ds, 0.2);
  assert.equal(train.n, 80);
  assert.equal(val.n, 20);
  assert.deepEqual(val.x, ds.x.slice(160));
});
