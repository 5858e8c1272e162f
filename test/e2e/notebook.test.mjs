// The experiment notebook in a real VS Code: open examples/lr-sweep.modelnb, Run All, and read the
// three cells' curves where the Model Lab renderer drew them (the notebook's webview), then reload
// the window and see the same outputs again, rebuilt from the run records.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const url = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
if (!url || !workspace) throw new Error('E2E_URL and E2E_WORKSPACE are not set: run node test/e2e/run.mjs');

/** What the renderer drew, per cell output, top to bottom (outputs are positioned, DOM order may differ). */
const readCurves = (frame) => h.inWebview(frame, () => [...document.querySelectorAll('.modellab-curves')].sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map((root) => {
  const chart = window.Chart.getChart(root.querySelector('canvas.modellab-loss-chart'));
  const trainLoss = chart?.data.datasets.find((d) => d.label === 'train loss')?.data ?? [];
  return { name: root.dataset.name, status: root.dataset.status, epochs: Number(root.dataset.epochs), points: trainLoss.length, lastLoss: trainLoss.at(-1)?.y };
}));
const finalLines = (frame) => h.inWebview(frame, (b) => (b.innerText.replace(/\u00a0/g, ' ').match(/completed · 40\/40 epochs[^\n]*/g) ?? []));

async function openNotebook(page, name) {
  await h.runCommand(page, 'View: Close All Editor Groups');
  await page.keyboard.press('Control+P');
  await page.locator('.quick-input-widget .quick-input-box input').fill(name);
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: name }).waitFor({ timeout: 20_000 });
  await page.keyboard.press('Enter');
  await page.locator('.notebook-editor .cell-list-container').first().waitFor({ timeout: 30_000 });
}

/** Waits for three finished outputs; the notebook webview appears once the first output is there. */
async function waitForThree(page, message) {
  let frame;
  await h.waitUntil(page, async () => {
    frame ??= await h.webviewFrame(page, { index: 0, timeout: 2000 }).catch(() => undefined);
    if (!frame) return false;
    const curves = await readCurves(frame).catch(() => []);
    return curves.length === 3 && curves.every((c) => c.status === 'completed' && c.points === 40) && curves;
  }, { timeout: 150_000, interval: 500, message });
  return frame;
}

describe('experiment notebook', () => {
  let browser;
  let page;
  before(async () => {
    browser = await h.launchBrowser();
    // Tall, so every cell's output is in view (the notebook renders outputs of visible cells).
    page = await h.openWorkbench(browser, url, workspace, { viewport: { width: 1400, height: 2400 } });
  });
  after(async () => browser?.close());

  test('Run All trains three cells; their curves come back after a window reload', { timeout: 300_000 }, async (t) => {
    try {
      await openNotebook(page, 'lr-sweep.modelnb');
      // The notebook toolbar's Run All (the palette command needs the notebook focused).
      await page.locator('.notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
      // With no kernel chosen yet VS Code may ask for one: pick Model Lab.
      const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Model Lab' }).first();
      if (await pick.waitFor({ timeout: 3000 }).then(() => true, () => false)) await pick.click();

      let frame = await waitForThree(page, 'three completed curves outputs');
      const curves = await readCurves(frame);
      assert.deepEqual(curves.map((c) => c.name), ['xor-lr0.01', 'xor-lr0.3', 'xor-lr0.6']);
      assert.ok(curves[0].lastLoss > curves[1].lastLoss, `lr 0.01 learns slower than 0.3 in 40 epochs: ${curves.map((c) => c.lastLoss).join(', ')}`);
      assert.equal((await finalLines(frame)).length, 3, 'a final metrics line under each cell');
      if (process.env.E2E_ARTIFACTS) await h.screenshot(page, `${process.env.E2E_ARTIFACTS}/notebook-run-all.png`);
      t.diagnostic(`final train loss by learning rate: ${curves.map((c) => `${c.name} ${c.lastLoss.toFixed(4)}`).join(', ')}`);

      await h.reloadWindow(page);
      await page.locator('.notebook-editor .cell-list-container').first().waitFor({ timeout: 60_000 });
      frame = await waitForThree(page, 'the three outputs again after the reload');
      const again = await readCurves(frame);
      assert.deepEqual(again.map((c) => [c.name, c.lastLoss]), curves.map((c) => [c.name, c.lastLoss]), 'the same runs, read from their records');
      assert.equal((await finalLines(frame)).length, 3);
      h.assertNoCspViolations(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'notebook').catch((e) => e.message)}`;
      throw err;
    }
  });

  test('a patch cell gets diagnostics on its own lines: a misspelt key, a value out of range', { timeout: 90_000 }, async (t) => {
    try {
      const model = (await fsp.readFile(path.join(workspace, 'xor.model.yaml'), 'utf8')).split('\n');
      const cells = [
        { kind: 'model', source: model },
        { kind: 'patch', source: ['name: typo', 'train:', '  learningRat: 0.3'] },
        { kind: 'patch', source: ['train:', '  learningRate: 500'] },
      ];
      await fsp.writeFile(path.join(workspace, 'patch-check.modelnb'), JSON.stringify({ modelLabNotebook: 1, cells }, null, 2));
      await openNotebook(page, 'patch-check.modelnb');
      const rows = await h.waitUntil(page, async () => {
        const r = (await h.problems(page)).filter((x) => /unknown-key|out-of-range/.test(x.text));
        return r.length >= 2 && r;
      }, { timeout: 30_000, message: 'the patch cells\' diagnostics in the Problems panel' });
      t.diagnostic(rows.map((r) => r.text).join('\n'));
      const typo = rows.find((r) => r.text.includes("Unknown key 'learningRat'"));
      assert.ok(typo, 'the misspelt key');
      assert.match(typo.text, /\[Ln 3, Col 3\]/, 'on the key, third line of its cell');
      const range = rows.find((r) => r.text.includes('out-of-range'));
      assert.match(range.text, /must be > 0 and <= 100; got 500/);
      assert.match(range.text, /\[Ln 2, Col 17\]/, 'on the value, second line of its cell');
      await h.runCommand(page, 'View: Close All Editor Groups');
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'notebook-patch').catch((e) => e.message)}`;
      throw err;
    }
  });

  test('New Experiment Notebook starts from the model file; interrupting stops the running cell', { timeout: 240_000 }, async (t) => {
    try {
      // A model that trains for long, so the interrupt surely lands while it runs.
      const digits = await fsp.readFile(path.join(workspace, 'digits.model.yaml'), 'utf8');
      await fsp.writeFile(path.join(workspace, 'slow.model.yaml'), digits.replace(/^(\s*epochs:\s*)\d+/m, (_, key) => `${key}5000`).replace(/^name:.*$/m, 'name: slow'));
      await h.runCommand(page, 'View: Close All Editor Groups');
      await h.openFile(page, 'slow.model.yaml');
      await h.runCommand(page, 'Model Lab: New Experiment Notebook');
      await page.locator('.tabs-container .tab.active[data-resource-name="slow-experiments.modelnb"]').waitFor({ timeout: 30_000 });
      const saved = JSON.parse(await fsp.readFile(path.join(workspace, 'slow-experiments.modelnb'), 'utf8'));
      assert.deepEqual(saved.cells.map((c) => c.kind), ['markdown', 'model', 'patch']);
      assert.match(saved.cells[2].source.join('\n'), /learningRate: /);

      // Run the model cell alone (its run button), then interrupt from the notebook toolbar.
      const cell = page.locator('.notebook-editor .cell-list-container .monaco-list-row').nth(1);
      await cell.hover();
      await cell.locator('.run-button-container .action-label').first().click();
      const frame = await h.webviewFrame(page, { index: 0, timeout: 60_000 });
      await h.waitUntil(page, async () => {
        const c = await readCurves(frame).catch(() => []);
        return c.length === 1 && c[0].status === 'running' && c[0].epochs >= 1;
      }, { timeout: 90_000, message: 'the cell trains and streams epochs' });
      // The notebook toolbar's stop button ("Stop Execution" in VS Code 1.100, "Interrupt" in older ones).
      await page.locator('.notebook-toolbar-container .action-item', { hasText: /Stop Execution|Interrupt/ }).first().click();
      const t0 = Date.now();
      await h.waitUntil(page, async () => (await readCurves(frame).catch(() => []))[0]?.status === 'stopped', { timeout: 10_000, message: 'the cell run stopped' });
      const line = await h.inWebview(frame, (b) => b.innerText.replace(/\u00a0/g, ' ').match(/stopped · \d+\/5000 epochs[^\n]*/)?.[0]);
      assert.ok(line, 'a final metrics line saying stopped');
      t.diagnostic(`interrupted in ${Date.now() - t0} ms: ${line}`);
      h.assertNoCspViolations(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'notebook-interrupt').catch((e) => e.message)}`;
      throw err;
    }
  });
});
