// The convolution explorer's arithmetic: the course's example, stride and padding, max pooling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COURSE_IMAGE, COURSE_KERNEL, convolve, convWindow, maxPool, outputSize, poolWindow, sumOfProducts } from '../../common/convolution';

test("the course's example: 5x5 image, kernel 1 0 1 / 0 1 0 / 1 0 1, output 4 3 4 / 2 4 3 / 2 3 4", () => {
  assert.deepEqual(convolve(COURSE_IMAGE, COURSE_KERNEL, { stride: 1, padding: 0 }), [[4, 3, 4], [2, 4, 3], [2, 3, 4]]);
  const first = convWindow(COURSE_IMAGE, COURSE_KERNEL, { stride: 1, padding: 0 }, 0, 0);
  assert.equal(first.value, 4);
  assert.deepEqual(first.cells, [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2], [2, 0], [2, 1], [2, 2]]);
  assert.equal(sumOfProducts(first), '1×1 + 1×0 + 1×1 + 0×0 + 1×1 + 1×0 + 0×1 + 0×0 + 1×1 = 4');
});

test('stride and zero padding: sizes follow floor((n + 2p - k) / s) + 1, and padded cells count as zeros', () => {
  assert.equal(outputSize(5, 3, 2, 0), 2);
  assert.equal(outputSize(5, 3, 1, 1), 5);
  assert.deepEqual(convolve(COURSE_IMAGE, COURSE_KERNEL, { stride: 2, padding: 0 }), [[4, 4], [2, 4]]);
  const same = convolve(COURSE_IMAGE, COURSE_KERNEL, { stride: 1, padding: 1 });
  assert.equal(same.length, 5);
  assert.deepEqual(same[1]?.slice(1, 4), [4, 3, 4]);
  const corner = convWindow(COURSE_IMAGE, COURSE_KERNEL, { stride: 1, padding: 1 }, 0, 0);
  assert.deepEqual(corner.cells[0], [-1, -1]);
  assert.equal(corner.value, 1 + 1, 'only the image cells under the kernel: (0,0)x1 centre + (1,1)x1');
});

test('2x2 max pooling with stride 1, as in the course, and with stride 2', () => {
  const conv = convolve(COURSE_IMAGE, COURSE_KERNEL, { stride: 1, padding: 0 });
  assert.deepEqual(maxPool(conv, 2, 1), [[4, 4], [4, 4]]);
  assert.deepEqual(maxPool([[1, 2, 3, 4], [5, 6, 7, 8], [9, 1, 2, 3], [4, 5, 6, 7]], 2, 2), [[6, 8], [9, 7]]);
  assert.deepEqual(poolWindow(conv, 2, 1, 1, 0), { cells: [[1, 0], [1, 1], [2, 0], [2, 1]], value: 4 });
});

test('the explorer\'s messages: the course setup passes; ragged, oversized, non-finite or out-of-range grids do not', async () => {
  const { asConvolutionToHost, asHostToConvolution, isConvolutionSetup, MAX_GRID } = await import('../../protocol/convolution');
  const { asInsideToHost } = await import('../../protocol/inside');
  const { COURSE_SETUP } = await import('../../common/convolution');
  const ok = { ...COURSE_SETUP, input: COURSE_SETUP.input.map((r) => [...r]), kernel: COURSE_SETUP.kernel.map((r) => [...r]) };
  assert.ok(isConvolutionSetup(ok));
  assert.deepEqual(asHostToConvolution({ type: 'show', setup: ok }), { type: 'show', setup: ok });
  assert.deepEqual(asConvolutionToHost({ type: 'changed', setup: ok })?.type, 'changed');
  assert.deepEqual(asInsideToHost({ type: 'exploreConvolution', setup: ok })?.type, 'exploreConvolution');
  const bad = [
    { ...ok, input: [[1, 2], [3]] },
    { ...ok, input: Array.from({ length: MAX_GRID + 1 }, () => [1]) },
    { ...ok, kernel: [[NaN]] },
    { ...ok, kernel: [[Infinity]] },
    { ...ok, kernel: [] },
    { ...ok, stride: 0 },
    { ...ok, padding: 1.5 },
    { ...ok, title: 42 },
  ];
  for (const setup of bad) {
    assert.equal(isConvolutionSetup(setup), false, JSON.stringify(setup).slice(0, 80));
    assert.equal(asInsideToHost({ type: 'exploreConvolution', setup }), undefined);
  }
});
