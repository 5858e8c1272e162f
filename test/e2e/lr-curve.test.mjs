// The training lab in a real VS Code: the schedule hover previews the learning-rate curve, training
// the warmup + cosine example draws the rate every step used beside the loss, and Model Lab: Find
// Learning Rate sweeps, suggests a rate and writes it into the file.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const TERMINAL = new Set(['completed', 'stopped', 'failed']);

describe('learning-rate schedules and the LR finder', () => {
  const wb = h.useWorkbench({ before, after });
  const step = h.reportingStep(() => wb.page);

  test('hover on schedule previews the curve; training draws the rate of every step beside the loss', { timeout: 180_000 }, step('lr-curve', async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'digits-warmup-cosine.model.yaml');

    const key = page.locator('.editor-group-container.active .monaco-editor .view-line').locator('span', { hasText: /^schedule$/ }).first();
    const shown = await h.hoverText(page, key, /Learning rate over 900 steps \(20 epochs × 45 batches\)/, { message: 'schedule hover with the planned steps' });
    assert.match(shown, /[▁▂▃▄▅▆▇█]{48}/, 'a 48-column sparkline');
    t.diagnostic(`hover: ${shown.slice(0, 200)}`);
    await page.keyboard.press('Escape');

    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: 'Model Lab: digits-warmup-cosine', timeout: 30_000 });
    const status = await h.waitUntil(page, async () => {
      const s = await h.inWebview(frame, (b) => b.dataset.status);
      return TERMINAL.has(s) ? s : null;
    }, { timeout: 90_000, interval: 100, message: 'run finished' });
    assert.equal(status, 'completed');

    const lr = await h.inWebview(frame, () => {
      const chart = window.Chart?.getChart(document.querySelector('#loss-chart'));
      const ds = chart?.data.datasets.find((d) => d.label === 'learning rate');
      const axis = chart?.scales.lr;
      return ds ? { data: ds.data.map((p) => [p.x, p.y]), yAxisID: ds.yAxisID, axisShown: Boolean(axis && axis.width > 0) } : null;
    });
    assert.ok(lr, 'the loss chart has a "learning rate" line');
    assert.equal(lr.yAxisID, 'lr');
    assert.ok(lr.axisShown, 'its axis is drawn');
    assert.equal(lr.data.length, 900, 'one point per step');
    // Warmup: linear from 0.05/90 over 90 steps (2 epochs); then cosine down to 1% over the other 810.
    const rate = (i) => (i < 90 ? (0.05 * (i + 1)) / 90 : 0.05 * (0.99 * 0.5 * (1 + Math.cos((Math.PI * (i - 90)) / 810)) + 0.01));
    for (const i of [0, 44, 89, 90, 300, 495, 899]) {
      const [x, y] = lr.data[i];
      assert.ok(Math.abs(y - rate(i)) < 1e-9, `step ${i + 1}: drawn ${y}, planned ${rate(i)}`);
      assert.ok(Math.abs(x - (i + 1) / 45) < 1e-9, `step ${i + 1} at epoch ${x}`);
    }
    t.diagnostic(`learning rate drawn: ${lr.data.length} points, peak ${Math.max(...lr.data.map((p) => p[1]))}`);
    h.assertNoCspViolations(page);
  }));

  test('Find Learning Rate sweeps, suggests a rate, and writes it into the file', { timeout: 180_000 }, step('lr-finder', async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'digits.model.yaml');
    await h.runCommand(page, 'Model Lab: Find Learning Rate');
    const frame = await h.webviewFrame(page, { title: 'Learning rate: digits', timeout: 30_000 });
    await h.waitUntil(page, () => h.inWebview(frame, (b) => b.dataset.status === 'done' || b.dataset.status === 'failed'), { timeout: 150_000, message: 'sweep done' });
    const shown = await h.inWebview(frame, (b) => ({
      status: b.dataset.status, chosen: Number(b.dataset.chosen), suggestion: document.getElementById('suggestion').textContent,
      points: window.Chart?.getChart(document.querySelector('#chart'))?.data.datasets[0].data.length ?? 0,
    }));
    assert.equal(shown.status, 'done', JSON.stringify(shown));
    assert.ok(shown.points > 20, `${shown.points} points plotted`);
    assert.ok(shown.chosen > 1e-5 && shown.chosen < 1, `suggested ${shown.chosen}`);
    t.diagnostic(shown.suggestion);
    // A window reload brings the sweep back (from the page's saved state), and "Use" still writes the file.
    await h.reloadWindow(page);
    const restored = await h.webviewFrame(page, { title: 'Learning rate: digits', timeout: 60_000 });
    await h.waitUntil(page, () => h.inWebview(restored, (b) => b.dataset.status === 'done').catch(() => false), { timeout: 30_000, message: 'restored sweep drawn' });
    const again = await h.inWebview(restored, (b) => ({ chosen: Number(b.dataset.chosen), points: window.Chart?.getChart(document.querySelector('#chart'))?.data.datasets[0].data.length ?? 0 }));
    assert.deepEqual(again, { chosen: shown.chosen, points: shown.points }, 'the restored panel shows the same sweep');
    await restored.locator('#apply').click();
    const want = String(Number(shown.chosen.toPrecision(3)));
    const editor = page.locator('.editor-group-container .monaco-editor .view-lines').first();
    await h.waitUntil(page, async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ').includes(`learningRate: ${want}`), { timeout: 10_000, message: `learningRate: ${want} in the editor` });
    h.assertNoCspViolations(page);
  }));
});
