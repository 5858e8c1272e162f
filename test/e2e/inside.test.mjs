// Inside the network in a real VS Code: train the digits CNN, open the Weights and Filters panels
// and check that histograms and filter images were drawn; train a model whose loss turns NaN and
// find the training diagnostic on its learningRate line in the Problems panel.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

/** Waits for the status bar to say the run of `name` ended; returns how. */
async function runEnded(page, name, timeout) {
  const text = await h.waitUntil(page, async () => (await h.statusBarTexts(page)).find((s) => new RegExp(`^${name} · (completed|stopped|failed)`).test(s)),
    { timeout, message: `${name} run finished (status bar)` });
  return /· (completed|stopped|failed)/.exec(text)[1];
}
const markers = (frame) => h.inWebview(frame, (b) => ({ ...b.dataset }));

/** Pixels of a canvas in the webview that are not fully transparent. */
const paintedPixels = (frame, id) => h.inWebview(frame, (_b, canvasId) => {
  const c = document.getElementById(canvasId);
  if (!c || !c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++;
  return n;
}, id);

/** A hash of a canvas's pixels: differs when something else is drawn on it. */
const canvasSum = (frame, selector) => h.inWebview(frame, (_b, sel) => {
  const c = document.querySelector(sel);
  if (!c || !c.width || !c.height) return 0;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let sum = 0;
  for (let i = 0; i < d.length; i++) sum = (sum * 31 + d[i]) >>> 0;
  return sum;
}, selector);

/** An older finished run of the digits CNN, recorded with 3 epochs of statistics. */
async function writeOlderRun(workspace) {
  const dir = path.join(workspace, '.modellab', 'runs', '20200101-100000-older-cnn');
  await fsp.mkdir(dir, { recursive: true });
  const modelFile = path.join(workspace, 'digits-cnn.model.yaml');
  await fsp.writeFile(path.join(dir, 'model.yaml'), await fsp.readFile(modelFile, 'utf8'));
  await fsp.writeFile(path.join(dir, 'run.json'), JSON.stringify({ id: 'older-cnn', name: 'older-cnn', modelFile, startedAt: '2020-01-01T10:00:00.000Z', epochs: 3, batchSize: 32, batchesPerEpoch: 45, trainSamples: 1438, valSamples: 359, backend: 'cpu', metrics: ['loss', 'accuracy'], dataset: 'digits', seed: 1, totalParams: 100 }));
  await fsp.writeFile(path.join(dir, 'metrics.jsonl'), [1, 2, 3].map((e) => JSON.stringify({ kind: 'epoch', epoch: e, loss: 1 / e, learningRate: 0.005, samplesPerSec: 100, elapsedMs: e * 1000 })).join('\n') + '\n');
  await fsp.writeFile(path.join(dir, 'stats.jsonl'), [0, 1, 2, 3].map((e) => JSON.stringify({ step: e * 45, epoch: e, when: e ? 'epoch' : 'init', layers: [{ id: 'dense_1', kind: 'dense', index: 0 }] })).join('\n') + '\n');
  await fsp.writeFile(path.join(dir, 'summary.json'), JSON.stringify({ status: 'completed', endedAt: '2020-01-01T10:00:03.000Z', durationMs: 3000, epochsDone: 3 }));
}

/** Right-clicks a finished run's row in the Runs view for a context menu entry. */
async function runsContextMenu(page, row, entry) {
  await h.showRunsView(page);
  // The finished record (its status read) and no refresh pending, so the menu is not closed under the click.
  // A completed run shows the pass icon (the status is the icon, not text).
  await page.locator('.pane-body .monaco-list-row', { hasText: row }).filter({ has: page.locator('.codicon-pass') }).waitFor({ timeout: 20_000 });
  await h.sleep(1000);
  await h.runsContextMenu(page, row, entry);
}

describe('Inside the network', () => {
  const wb = h.useWorkbench({ before, after });
  let page;
  before(() => {
    page = wb.page;
  });
  const step = h.reportingStep(() => page);

  test('digits CNN: the Weights panel draws histograms and the Filters panel draws the conv filters', { timeout: 180_000 }, step('inside-digits-cnn', async (t) => {
    // An older run of the same file, recorded before this session (picked in the Runs view below).
    await writeOlderRun(wb.workspace);
    await h.openFile(page, 'digits-cnn.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    assert.equal(await runEnded(page, 'digits-cnn', 120_000), 'completed');

    await h.openFile(page, 'digits-cnn.model.yaml');
    await h.runCommand(page, 'Model Lab: Show Weights');
    const weights = await h.webviewFrame(page, { title: 'Weights: digits-cnn', timeout: 30_000 });
    await h.waitUntil(page, async () => Number((await markers(weights)).records) === 16, { timeout: 30_000, message: 'weights panel: 16 statistics records (init + 15 epochs)' });
    await h.waitUntil(page, async () => Number((await markers(weights)).histograms) >= 3, { timeout: 10_000, message: 'weights panel drew its histograms' });
    assert.ok(await paintedPixels(weights, 'kernel-hist') > 500, 'the kernel histogram has bars on it');
    assert.ok(await paintedPixels(weights, 'act-hist') > 500, 'the activation histogram has bars on it');
    const info = await weights.locator('#weights-info').textContent();
    assert.match(info, /conv2d_1: measured σ=[\d.]+ · target σ=0\.471 for relu \(He: Var = 2\/fan-in, fan-in 9, fan-out 72\)/);
    const rows = await weights.locator('table tr').count();
    assert.equal(rows, 6, 'a table row per layer plus the header');
    const histograms = (await markers(weights)).histograms;
    if (process.env.E2E_ARTIFACTS) await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS, 'inside-weights.png'));

    await h.runCommand(page, 'Model Lab: Show Filters');
    const filters = await h.webviewFrame(page, { title: 'Filters: digits-cnn', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(filters)).filters === '8', { timeout: 30_000, message: 'filters panel: 8 filter images of conv2d_1' });
    assert.ok(await paintedPixels(filters, 'filters') > 8 * 9, 'the filter grid is painted');
    assert.ok(await paintedPixels(filters, 'feature-maps') > 8 * 64, 'feature maps of the picked input are painted');
    const filterCount = (await markers(filters)).filters;

    // Feature maps of every conv layer for an example picked from the data. The run has ended, so a
    // worker loads its saved model: the maps are those of the final weights (epoch 15).
    const pickedMaps = (want) => h.waitUntil(page, async () => {
      const m = await markers(filters);
      return m.picked === want && m.mapsHash && m;
    }, { timeout: 60_000, message: `feature maps of ${want}` });
    await filters.locator('#pick-next').click();
    const first = await pickedMaps('train:1');
    assert.deepEqual([first.pickedLayers, first.pickedEpoch], ['2', '15'], 'both conv layers, with the final weights');
    assert.match(await filters.locator('#picked-caption').textContent(), /^training example 1 of \d+ · label \d · predicted \d [✓✗] · weights after epoch 15 \(step \d+\)$/);
    assert.ok(await paintedPixels(filters, 'picked-input') > 64, 'the picked example is drawn');
    await h.waitUntil(page, async () => await canvasSum(filters, '#picked-layers canvas[data-layer="conv2d_3"]') !== 0, { timeout: 10_000, message: 'maps of the second conv layer drawn' });
    const firstPixels = await canvasSum(filters, '#picked-layers canvas[data-layer="conv2d_1"]');
    await filters.locator('#pick-next').click();
    const second = await pickedMaps('train:2');
    assert.notEqual(second.mapsHash, first.mapsHash, 'another example, other maps');
    await h.waitUntil(page, async () => await canvasSum(filters, '#picked-layers canvas[data-layer="conv2d_1"]') !== firstPixels, { timeout: 10_000, message: 'the first conv layer\'s maps redrawn for example 2' });
    if (process.env.E2E_ARTIFACTS) await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS, 'inside-filters-picked.png'));
    // The first conv layer's filter 1 on the picked example, in the convolution explorer.
    await filters.locator('#explore-convolution').click();
    const explorer = await h.webviewFrame(page, { title: 'Convolution', timeout: 30_000 });
    await h.waitUntil(page, async () => /^conv2d_1 filter 1, weights after epoch \d+, on training example \d+$/.test(await explorer.locator('#title').textContent()), { timeout: 20_000, message: 'the explorer shows the trained filter' });
    const kernel = await h.inWebview(explorer, () => [...document.querySelectorAll('#kernel-grid input')].map((i) => Number(i.value)));
    assert.equal(kernel.length, 9, 'a 3x3 kernel');
    assert.ok(kernel.some((v) => v !== 0) && !kernel.every((v) => Number.isInteger(v)), `trained weights, not the course's kernel: ${kernel}`);
    assert.equal(await explorer.locator('#input-grid tr').count(), 8, 'the 8x8 digit');
    assert.equal(await explorer.locator('#output-grid tr').count(), 6, '8 - 3 + 1 output rows');
    await h.runCommand(page, 'View: Close Editor');
    // The clicks made the Filters group the active one: give the focus back to the editor, so the
    // next panels open beside it as before (two webviews restoring side by side race in VS Code web).
    await h.runCommand(page, 'View: Focus First Editor Group');

    await h.runCommand(page, 'Model Lab: Show Gradient Flow');
    const gradients = await h.webviewFrame(page, { title: 'Gradient Flow: digits-cnn', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(gradients)).gradients === '3', { timeout: 30_000, message: 'gradient flow: a line for each of the 3 layers with weights' });
    assert.ok(await paintedPixels(gradients, 'grad-norms') > 500, 'gradient norms are drawn');
    assert.equal(await gradients.locator('table tr').count(), 4, 'a verdict row per layer with weights');

    await h.runCommand(page, 'Model Lab: Show Predictions');
    const predictions = await h.webviewFrame(page, { title: 'Predictions: digits-cnn', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(predictions)).predictions === '1', { timeout: 30_000, message: 'predictions panel drawn' });
    assert.equal(await predictions.locator('#confusion tr').count(), 11, 'a 10-class confusion matrix with its header');
    // After a window reload the panel comes back from the run record (the run's worker is gone).
    await h.reloadWindow(page);
    const restored = await h.webviewFrame(page, { title: 'Filters: digits-cnn', timeout: 60_000 });
    // Every statistics record (16) read back from stats.jsonl, and the filters drawn from them.
    // The example picked before the reload is picked again, and its maps come back.
    await h.waitUntil(page, async () => {
      const m = await markers(restored).catch(() => ({}));
      return m.filters === '8' && m.records === '16' && m.picked === 'train:2' && m.mapsHash === second.mapsHash;
    }, { timeout: 60_000, message: 'filters panel restored after reload with 16 records and the picked example\'s maps' });

    // A run picked in the Runs view: the panel shows that run's record (3 epochs), not the newest
    // run's 15, and is named after it, until the user follows the live run again.
    await runsContextMenu(page, 'older-cnn', 'Show Inside the Network');
    const older = await h.webviewFrame(page, { title: 'Filters: older-cnn 20200101-100000', timeout: 30_000 });
    await h.waitUntil(page, async () => {
      const m = await markers(older).catch(() => ({}));
      return m.epochs === '3' && m.records === '4' && m.following === 'selected';
    }, { timeout: 30_000, message: 'the older run\'s 3 epochs in the filters panel' });
    assert.equal(await older.locator('#run-epochs').textContent(), '3 epochs recorded');
    await older.locator('#follow-live').click();
    const back = await h.webviewFrame(page, { title: 'Filters: digits-cnn', timeout: 30_000 });
    await h.waitUntil(page, async () => {
      const m = await markers(back).catch(() => ({}));
      return m.epochs === '15' && m.following === 'live';
    }, { timeout: 30_000, message: 'back to the newest run (15 epochs) after Follow the live run' });
    t.diagnostic(`weights panel: ${histograms} histograms drawn; filters panel: ${filterCount} filters, both again after a reload; picked maps ${first.mapsHash} -> ${second.mapsHash}; older run: 3 epochs`);
    h.assertNoCspViolations(page);
  }));

  test('a loss that turns NaN puts an error on the learningRate line in the Problems panel', { timeout: 120_000 }, step('inside-nan-loss', async () => {
    await h.runCommand(page, 'View: Close All Editor Groups');
    const text = await fsp.readFile(path.join(wb.workspace, 'inside', 'nan-loss.model.yaml'), 'utf8');
    const line = text.split('\n').findIndex((l) => l.includes('learningRate: 100')) + 1;
    assert.ok(line > 0);
    await h.openFile(page, 'inside/nan-loss.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    assert.equal(await runEnded(page, 'nan-loss', 60_000), 'failed');
    const row = await h.waitUntil(page, async () => (await h.problems(page)).find((r) => r.file === 'nan-loss.model.yaml' && /The loss became (NaN|Infinity) at epoch 1, batch \d+/.test(r.text)),
      { timeout: 20_000, message: 'training diagnostic in the Problems panel' });
    assert.match(row.text, new RegExp(`\\[Ln ${line}, Col \\d+\\]`), `on line ${line}: ${row.text}`);
    assert.match(row.text, /Model Lab training/);

    // Kept across a window reload (read back from the run record)...
    await h.reloadWindow(page);
    const nanRow = async () => (await h.problems(page)).find((r) => r.file === 'nan-loss.model.yaml' && /The loss became/.test(r.text));
    await h.waitUntil(page, nanRow, { timeout: 30_000, message: 'training diagnostic back after reload' });
    // The restored training panel takes the focus when it loads; give the editor its focus back.
    await h.sleep(1500);
    await page.locator('.tabs-container .tab[data-resource-name="nan-loss.model.yaml"]').click();
    await page.locator('.editor-group-container .monaco-editor .view-lines').first().click();
    // ...and cleared by the edit that answers it: a smaller learning rate.
    await h.goToLine(page, line, text.split('\n')[line - 1].indexOf('100') + 1);
    await page.keyboard.press('Shift+End');
    await page.keyboard.type('0.05');
    await h.waitUntil(page, async () => !(await nanRow()), { timeout: 10_000, message: 'training diagnostic cleared by the new learning rate' });
  }));
});
