// The convolution explorer in the real editor: the palette command shows the course's example with
// the output 4 3 4 / 2 4 3 / 2 3 4 as text and its 2x2 max pooling with stride 1; hovering an output
// cell marks its 3x3 window and writes its sum of products; editing the kernel recomputes. (Loading
// a trained kernel from the Filters panel is checked in inside.test.mjs, where a CNN is trained.)

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const gridText = (frame, id) => h.inWebview(frame, (_b, gid) => [...document.querySelectorAll(`#${gid} tr`)]
  .map((tr) => [...tr.children].map((td) => (td.querySelector('input')?.value ?? td.textContent).trim()).join(' ')).join(' / '), id);

describe('convolution explorer', () => {
  const wb = h.useWorkbench({ before, after });

  test("the course's example as text, a cell's window and sum of products, an edit recomputes", { timeout: 120_000 }, async (t) => {
    const page = wb.page;
    try {
      await h.runCommand(page, 'View: Close All Editor Groups');
      await h.openFile(page, 'xor.model.yaml');
      await h.runCommand(page, 'Model Lab: Open Convolution Explorer');
      const frame = await h.webviewFrame(page, { title: 'Convolution', timeout: 30_000 });
      await h.waitUntil(page, () => h.inWebview(frame, (b) => b.dataset.ready === '1'), { timeout: 20_000, message: 'explorer drawn' });
      assert.equal(await gridText(frame, 'input-grid'), '1 1 1 0 0 / 0 1 1 1 0 / 0 0 1 1 1 / 0 0 1 1 0 / 0 1 1 0 0');
      assert.equal(await gridText(frame, 'kernel-grid'), '1 0 1 / 0 1 0 / 1 0 1');
      assert.equal(await gridText(frame, 'output-grid'), '4 3 4 / 2 4 3 / 2 3 4');
      assert.equal(await gridText(frame, 'pool-grid'), '4 4 / 4 4', '2x2 max pooling with stride 1');

      await frame.locator('#output-grid td').first().hover();
      await h.waitUntil(page, async () => /= 4$/.test(await frame.locator('#explain').textContent()), { timeout: 10_000, message: 'the sum of products of the first cell' });
      assert.equal(await frame.locator('#explain').textContent(), 'output[1][1] = 1×1 + 1×0 + 1×1 + 0×0 + 1×1 + 1×0 + 0×1 + 0×0 + 1×1 = 4');
      assert.equal(await frame.locator('#input-grid td.window').count(), 9, 'the 3x3 window is marked in the input');
      await frame.locator('#output-grid tr').nth(1).locator('td').nth(2).hover();
      await h.waitUntil(page, async () => /^output\[2\]\[3\]/.test(await frame.locator('#explain').textContent()), { timeout: 10_000, message: 'another cell' });
      assert.match(await frame.locator('#explain').textContent(), /= 3$/);

      // The kernel's centre from 1 to 2: every output cell whose centre pixel is 1 goes up by 1.
      const centre = frame.locator('#kernel-grid tr').nth(1).locator('input').nth(1);
      await centre.fill('2');
      await centre.press('Enter');
      await h.waitUntil(page, async () => (await gridText(frame, 'output-grid')) === '5 4 5 / 2 5 4 / 2 4 5', { timeout: 10_000, message: 'the output recomputed' });
      t.diagnostic(`output after the edit: ${await gridText(frame, 'output-grid')}`);
      h.assertNoCspViolations(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'convolution').catch((e) => e.message)}`;
      throw err;
    }
  });
});
