// The training panel keeps nothing the host cannot give back: train from the CodeLens, close the
// panel and show it again, reload the whole window, and the run is drawn whole each time (the
// host keeps the history; after a reload the WebviewPanelSerializer reads the run record).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';


const markers = (frame) => h.inWebview(frame, (b) => ({ ready: b.dataset.ready, status: b.dataset.status, epochs: Number(b.dataset.epochs) }));
const lossPoints = (frame) => h.inWebview(frame, () => window.Chart.getChart(document.querySelector('#loss-chart')).data.datasets.find((d) => d.label === 'train loss').data.length);

describe('training panel survives closing and reloading', () => {
  const wb = h.useWorkbench({ before, after });

  test('CodeLens trains; Show Training Panel and a window reload bring back the whole run', { timeout: 180_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'xor.model.yaml');
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Train' }).first();
    await lens.waitFor({ timeout: 20_000 });
    await lens.click();

    let frame = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame)).status === 'completed', { timeout: 90_000, message: 'xor completed after the CodeLens click' });
    const { epochs } = await markers(frame);
    assert.equal(epochs, 60);

    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.runCommand(page, 'Model Lab: Show Training Panel');
    frame = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame)).ready === '1', { timeout: 20_000, message: 'panel drawn again' });
    assert.deepEqual(await markers(frame), { ready: '1', status: 'completed', epochs: 60 }, 'reopened panel shows the whole run');
    assert.equal(await lossPoints(frame), 60);

    await h.reloadWindow(page);
    frame = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 60_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).ready === '1', { timeout: 30_000, message: 'restored panel drawn' });
    assert.deepEqual(await markers(frame), { ready: '1', status: 'completed', epochs: 60 }, 'restored panel shows the run from its record');
    assert.equal(await lossPoints(frame), 60);
    t.diagnostic('panel restored after close and after a window reload, 60 epochs each time');
    h.assertNoCspViolations(page);
  });
});
