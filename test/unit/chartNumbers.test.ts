import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatNumber, formatTicks, hasAccuracy, isLogTickLabelled, rateVaries } from '../../common/chartNumbers';

test('numbers read plainly', () => {
  assert.equal(formatNumber(0.07), '0.07');
  assert.equal(formatNumber(0.1), '0.1');
  assert.equal(formatNumber(3e24), '3e24');
  assert.equal(formatNumber(2.5e-5), '2.5e-5');
  assert.equal(formatNumber(1500), '1500');
  assert.equal(formatNumber(0), '0');
  assert.equal(formatNumber(-0.25), '-0.25');
});

test('tick labels are distinct', () => {
  const labels = formatTicks([3e24, 3.2e24, 3.4e24, 3.6e24]);
  assert.deepEqual(labels, ['3e24', '3.2e24', '3.4e24', '3.6e24']);
  assert.equal(new Set(formatTicks([0, 0.5, 1, 1.5, 2])).size, 5);
});

test('a log axis labels few ticks', () => {
  const ticks = [0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2, 0.5, 0.7, 1];
  assert.deepEqual(ticks.filter((t) => isLogTickLabelled(t, 0.01, 1)), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1]);
  assert.deepEqual([1e-6, 2e-6, 1e-5, 1e-4, 1.4e-4, 5e-4, 1e-3, 0.11, 1].filter((t) => isLogTickLabelled(t, 1e-6, 3)), [1e-6, 1e-5, 1e-4, 1e-3, 1]);
});

test('a constant rate does not vary, a schedule does', () => {
  assert.equal(rateVaries([]), false);
  assert.equal(rateVaries([0.1, 0.1, 0.1]), false);
  assert.equal(rateVaries([0.1, 0.1, 0.05]), true);
});

test('accuracy comes from the metrics or the record', () => {
  assert.equal(hasAccuracy(['loss'], []), false);
  assert.equal(hasAccuracy(['loss', 'accuracy'], []), true);
  assert.equal(hasAccuracy(['loss'], [{ valAccuracy: 0.5 }]), true);
});
