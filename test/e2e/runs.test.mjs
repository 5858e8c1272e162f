// The Runs view and the compare panel in a real VS Code: run records written into the workspace
// show up grouped by model file with their best validation metric; Compare Runs… draws them with
// only the differing config keys; Delete takes a run away and Undo brings it back.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const url = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
if (!url || !workspace) throw new Error('E2E_URL and E2E_WORKSPACE are not set: run node test/e2e/run.mjs');

/** A finished run record, as the extension writes it (the view only reads records). */
async function writeRecord(name, lr, valAccuracy, when) {
  const dir = path.join(workspace, '.modellab', 'runs', `${when}-${name}`);
  await fsp.mkdir(dir, { recursive: true });
  const modelFile = path.join(workspace, 'cmp.model.yaml');
  await fsp.writeFile(path.join(dir, 'model.yaml'), `name: ${name}\ntrain:\n  learningRate: ${lr}\n  epochs: 3\n`);
  await fsp.writeFile(path.join(dir, 'run.json'), JSON.stringify({ id: name, name, modelFile, startedAt: `${when.slice(0, 4)}-${when.slice(4, 6)}-${when.slice(6, 8)}T${when.slice(9, 11)}:${when.slice(11, 13)}:00.000Z`, epochs: 3, batchSize: 32, batchesPerEpoch: 2, trainSamples: 64, valSamples: 16, backend: 'cpu', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33 }));
  const lines = [];
  for (let e = 1; e <= 3; e++) {
    for (let b = 0; b < 2; b++) lines.push(JSON.stringify({ kind: 'batch', step: 2 * e - 1 + b, epoch: e, x: e - 0.5 + b / 2, loss: 1 / (e * lr * 10) }));
    lines.push(JSON.stringify({ kind: 'epoch', epoch: e, loss: 1 / e, valLoss: 1.1 / e, valAccuracy: valAccuracy * e / 3, learningRate: lr, samplesPerSec: 100, elapsedMs: e * 1000 }));
  }
  await fsp.writeFile(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  await fsp.writeFile(path.join(dir, 'summary.json'), JSON.stringify({ status: 'completed', endedAt: '', durationMs: 3000, epochsDone: 3 }));
}



const rowTexts = (page) => page.locator('.pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()));

describe('runs view and compare panel', () => {
  let browser;
  let page;
  before(async () => {
    await writeRecord('cmp-a', 0.01, 0.6, '20200101-100000');
    await writeRecord('cmp-b', 0.1, 0.9, '20200101-100100');
    await writeRecord('cmp-c', 0.5, 0.75, '20200101-100200');
    browser = await h.launchBrowser();
    page = await h.openWorkbench(browser, url, workspace);
  });
  after(async () => browser?.close());

  test('records appear in the Runs view; Compare Runs… overlays them; delete and undo', { timeout: 120_000 }, async (t) => {
    try {
      await h.waitUntil(page, async () => {
        await h.showRunsGroup(page, 'cmp.model.yaml');
        return (await rowTexts(page)).some((r) => r.startsWith('cmp-c'));
      }, { timeout: 30_000, interval: 1000, message: 'runs in the view' });
      const rows = await rowTexts(page);
      const group = rows.findIndex((r) => r.startsWith('cmp.model.yaml'));
      assert.ok(group >= 0, `a group for cmp.model.yaml: ${JSON.stringify(rows)}`);
      assert.match(rows[group], /3 runs/);
      const b = rows.find((r) => r.startsWith('cmp-b'));
      assert.match(b, /cmp-b 01-01 10:01\s*val acc 0\.900 · 3\.0 s/, 'name, start, best validation accuracy and duration (completed is the icon)');

      const frame = await h.compareRunsMatching(page, 'cmp-', 3);
      const drawn = await h.inWebview(frame, () => {
        const chart = window.Chart.getChart(document.getElementById('compare-chart'));
        return {
          lines: chart.data.datasets.map((d) => [d.label, d.data.length]),
          head: [...document.querySelectorAll('#config-head th')].map((th) => th.textContent),
          rows: [...document.querySelectorAll('#config-body tr')].map((tr) => [...tr.querySelectorAll('td')].slice(0, 3).map((td) => td.textContent)),
        };
      });
      assert.deepEqual(drawn.head.slice(0, 3), ['run', 'best val loss', 'train.learningRate'], 'only the differing key is a column');
      assert.deepEqual(drawn.rows.map((r) => r[2]), ['0.01', '0.1', '0.5']);
      assert.deepEqual(drawn.lines.filter(([l]) => !/\((raw|best)\)$/.test(l)).map(([l, n]) => [l, n]), [['cmp-a', 3], ['cmp-b', 3], ['cmp-c', 3]]);
      assert.equal(drawn.lines.filter(([l]) => l.endsWith('(best)')).length, 3, 'a best marker per run');
      // Another metric, from the page's own control.
      await frame.locator('#metric').selectOption('valAccuracy');
      await h.waitUntil(page, () => h.inWebview(frame, (bd) => bd.dataset.metric === 'valAccuracy'), { timeout: 10_000, message: 'metric switched' });
      const best = await h.inWebview(frame, () => [...document.querySelectorAll('#config-body tr')].map((tr) => tr.querySelectorAll('td')[1].textContent));
      assert.deepEqual(best, ['0.6000', '0.9000', '0.7500']);

      // Delete cmp-a from the view, then Undo from the notification.
      await h.showRunsGroup(page, 'cmp.model.yaml');
      await h.runsContextMenu(page, 'cmp-a', 'Delete Run');
      await h.waitUntil(page, async () => !(await rowTexts(page)).some((r) => r.startsWith('cmp-a')), { timeout: 10_000, message: 'cmp-a gone' });
      await page.locator('.notifications-toasts .notification-toast', { hasText: 'Deleted run cmp-a' }).locator('.monaco-button', { hasText: 'Undo' }).click();
      await h.waitUntil(page, async () => (await rowTexts(page)).some((r) => r.startsWith('cmp-a')), { timeout: 10_000, message: 'cmp-a back after Undo' });
      // Pin cmp-a: it moves to the top of its group; opening it shows its training panel.
      await h.runsContextMenu(page, 'cmp-a', 'Pin Run');
      await h.waitUntil(page, async () => {
        const r = await rowTexts(page);
        return r[r.findIndex((x) => x.startsWith('cmp.model.yaml')) + 1]?.startsWith('cmp-a') && r.find((x) => x.startsWith('cmp-a')).includes('📌');
      }, { timeout: 10_000, message: 'cmp-a pinned first' });
      await page.locator('.pane-body .monaco-list-row', { hasText: 'cmp-b' }).click();
      const panel = await h.webviewFrame(page, { title: 'Model Lab: cmp-b', timeout: 30_000 });
      await h.waitUntil(page, () => h.inWebview(panel, (bd) => bd.dataset.ready === '1' && bd.dataset.epochs === '3' && bd.dataset.status === 'completed'), { timeout: 20_000, message: 'training panel of cmp-b from its record' });
      t.diagnostic('runs view: 3 records grouped; compare: 3 runs, differing key train.learningRate; delete + undo; pin; open');
      h.assertNoCspViolations(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'runs').catch((e) => e.message)}`;
      throw err;
    }
  });

  test('runs of one file are told apart in the legend by what differs in their files', { timeout: 120_000 }, async (t) => {
    try {
      await writeRecord('twin', 0.2, 0.8, '20200102-100000');
      await writeRecord('twin', 0.4, 0.7, '20200102-100100');
      const frame = await h.compareRunsMatching(page, 'twin', 2);
      const labels = await h.inWebview(frame, () => window.Chart.getChart(document.getElementById('compare-chart')).data.datasets
        .map((d) => d.label).filter((l) => !/\((raw|best)\)$/.test(l)));
      assert.deepEqual(labels, ['twin · learningRate 0.2', 'twin · learningRate 0.4']);
      t.diagnostic(`legend: ${labels.join(' | ')}`);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'runs-twins').catch((e) => e.message)}`;
      throw err;
    }
  });

  test('Run sweep trains the grid two at a time into the compare panel, with parallel coordinates', { timeout: 240_000 }, async (t) => {
    try {
      await h.runCommand(page, 'View: Close All Editor Groups');
      await h.openFile(page, 'xor-sweep.model.yaml');
      const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run sweep (4 runs, 2 at a time)' });
      await lens.waitFor({ timeout: 20_000 });
      await lens.click();
      const frame = await h.webviewFrame(page, { title: 'Model Lab: Compare', timeout: 30_000 });
      const state = () => h.inWebview(frame, (bd) => {
        const chart = window.Chart.getChart(document.getElementById('compare-chart'));
        const lines = chart ? chart.data.datasets.filter((d) => !/\((raw|best)\)$/.test(d.label)).map((d) => [d.label, d.data.length]) : [];
        const pc = document.getElementById('parallel');
        return { runs: Number(bd.dataset.runs), lines, axes: pc.dataset.axes, pcLines: pc.dataset.lines, head: [...document.querySelectorAll('#config-head th')].map((th) => th.textContent) };
      });
      const done = await h.waitUntil(page, async () => {
        const s = await state().catch(() => undefined);
        return s && s.runs === 4 && s.lines.every(([, n]) => n === 20) && s.pcLines === '4' && s;
      }, { timeout: 200_000, interval: 1000, message: 'four finished sweep runs in the compare panel' });
      assert.deepEqual(done.lines.map(([l]) => l), ['xor-sweep-sweep1', 'xor-sweep-sweep2', 'xor-sweep-sweep3', 'xor-sweep-sweep4']);
      assert.deepEqual(done.head.slice(2, 4), ['model.layers[0].dense.units', 'train.learningRate'], 'in file order');
      assert.equal(done.axes, '3', 'two swept keys and the best value');
      if (process.env.E2E_ARTIFACTS) await h.screenshot(page, `${process.env.E2E_ARTIFACTS}/compare-sweep.png`);
      t.diagnostic('sweep: 4 runs of 20 epochs drawn, parallel coordinates with 3 axes');
      h.assertNoCspViolations(page);
    } catch (err) {
      err.message += `\n--- workbench at failure ---\n${await h.captureFailure(page, 'sweep').catch((e) => e.message)}`;
      throw err;
    }
  });
});
