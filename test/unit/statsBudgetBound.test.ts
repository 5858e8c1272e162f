// The budget's shortcut (common/stats/budget.ts): a record whose JSON length bound fits goes out
// whole without being stringified, so the bound must never be below the real length.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonBound, splitRecord } from '../../common/stats/budget';
import type { StatsRecord } from '../../protocol/stats';
import { makeRng } from '../../common/random';

test('the JSON length bound is never below the real length', () => {
  const fixed: unknown[] = [0, -0, 9, 10, -1000, 123456789012345, 1e15, 1e21, -1.2345678901234567e-300, -0.0000012345678901234567,
    Number.MIN_VALUE, NaN, -Infinity, '', 'a"b\\', 'é', '\n\u0001', [], {}, [1, [2, 'x']], { 'k"': [true, null, false] }, { u: undefined, x: 1 }];
  for (const v of fixed) assert.ok(jsonBound(v) >= (JSON.stringify(v) as string).length, JSON.stringify(v));
  const rand = makeRng(5);
  for (let i = 0; i < 20000; i++) {
    const v = (rand() - 0.5) * 10 ** (rand() * 60 - 30);
    assert.ok(jsonBound(v) >= JSON.stringify(v).length, String(v));
    assert.ok(jsonBound(Math.round(v)) >= JSON.stringify(Math.round(v)).length, String(Math.round(v)));
  }
});

test('a record under the bound goes out whole, in the key order of the split parts', () => {
  const layer = { id: 'd', kind: 'dense', index: 0, kernel: { count: 4, min: -0.5, max: 0.25, mean: 0.01, std: 0.3, zeros: 0, nearZero: 0, nan: 0, inf: 0, hist: { lo: -0.5, hi: 0.25, counts: [1, 2, 1] } } };
  const record = { step: 3, layers: [layer], epoch: 1, when: 'epoch', predictions: { confusion: [[1, 0], [0, 1]] } } as unknown as StatsRecord;
  const parts = splitRecord(record);
  assert.equal(parts.length, 1);
  assert.equal(JSON.stringify(parts[0]), JSON.stringify({ step: 3, epoch: 1, when: 'epoch', predictions: { confusion: [[1, 0], [0, 1]] }, layers: [layer] }));
  assert.notEqual(parts[0]?.layers, record.layers);
  // Over the bound, the exact split still divides it.
  assert.ok(splitRecord({ ...record, layers: [layer, { ...layer, id: 'e' }, { ...layer, id: 'f' }] }, 600).length > 1);
});
