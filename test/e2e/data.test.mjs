// Data in the real editor: the augmentation preview of the MNIST example (a grid of digits drawn
// from validated bytes, new draws on "Draw again"), and test-time augmentation accuracy in the
// training panel's header beside the plain validation accuracy.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

describe('data and augmentation', () => {
  const wb = h.useWorkbench({ before, after });

  test('Preview Augmentation draws each digit and six augmented draws; Draw again draws new ones', { timeout: 90_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'mnist-augment.model.yaml');
    await h.runCommand(page, 'Model Lab: Preview Augmentation');
    const frame = await h.webviewFrame(page, { title: 'Augmentation: mnist-augment', timeout: 30_000 });
    await h.waitUntil(page, () => h.inWebview(frame, (b) => b.dataset.samples === '8'), { timeout: 30_000, message: '8 rows drawn' });
    // A checksum of every canvas's pixels: the drawn digits, not just the elements.
    const drawn = () => h.inWebview(frame, () => [...document.querySelectorAll('#grid canvas')].map((c) => {
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += d[i];
      return { w: c.width, h: c.height, sum, original: c.classList.contains('original') };
    }));
    const first = await drawn();
    assert.equal(first.length, 8 * 7);
    assert.ok(first.every((c) => c.w === 28 && c.h === 28));
    assert.ok(first.every((c) => c.sum > 0), 'every image has ink');
    const settings = await h.inWebview(frame, () => document.getElementById('settings').textContent);
    assert.equal(settings, 'shift 2 · rotation 10 · randomScale [0.9, 1.1]');
    await frame.locator('#redraw').click();
    await h.waitUntil(page, async () => JSON.stringify(await drawn()) !== JSON.stringify(first), { timeout: 15_000, message: 'new draws' });
    const second = await drawn();
    assert.deepEqual(second.filter((c) => c.original), first.filter((c) => c.original), 'the originals stay');
    t.diagnostic(`ink of the first row: ${first.slice(0, 7).map((c) => c.sum).join(', ')}`);
    h.assertNoCspViolations(page);

    // After a window reload the panel previews its model file again (from the page's saved state).
    await h.reloadWindow(page);
    const restored = await h.webviewFrame(page, { title: 'Augmentation: mnist-augment', timeout: 60_000 });
    await h.waitUntil(page, () => h.inWebview(restored, (b) => b.dataset.samples === '8').catch(() => false), { timeout: 30_000, message: 'restored preview drawn' });
    assert.equal(await h.inWebview(restored, () => document.getElementById('settings').textContent), settings);
  });

  test('training with testTimeAugmentation shows the TTA accuracy beside the plain one', { timeout: 240_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'mnist-augment.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: 'Model Lab: mnist-augment', timeout: 30_000 });
    const header = () => h.inWebview(frame, (b) => `${b.dataset.status} epochs ${b.dataset.epochs} val '${document.getElementById('val').textContent}' message '${document.getElementById('message').textContent}'`);
    try {
      await h.waitUntil(page, () => h.inWebview(frame, () => /TTA/.test(document.getElementById('val').textContent ?? '')), { timeout: 200_000, message: 'TTA accuracy in the header' });
    } catch (e) {
      await h.captureFailure(page, 'tta-header');
      throw new Error(`${e.message}; the panel shows: ${await header()}`);
    }
    const val = await h.inWebview(frame, () => document.getElementById('val').textContent);
    assert.match(val, /^0\.\d{3} · TTA 0\.\d{3}$/);
    t.diagnostic(`header after the first epoch: val accuracy ${val}`);
    await frame.locator('#stop').click();
    await h.waitUntil(page, () => h.inWebview(frame, (b) => b.dataset.status === 'stopped' || b.dataset.status === 'completed'), { timeout: 60_000, message: 'stopped' });
    h.assertNoCspViolations(page);
  });
});
