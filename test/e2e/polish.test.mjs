// What a person sees at 1600x900: the active model file names the run a Show command opens, a
// regression run shows no empty accuracy chart or confusion heading, a constant rate gets no rate
// axis, the weights table fits its panel; and a screenshot of every panel in a light and a dark
// theme, saved into $E2E_ARTIFACTS for a person to look at.
import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const TERMINAL = new Set(['completed', 'stopped', 'failed']);
const ARTIFACTS = process.env.E2E_ARTIFACTS || path.join(os.tmpdir(), 'model-lab-e2e-artifacts');

async function trainAndWait(page, file, name, timeout = 120_000) {
  await h.runCommand(page, 'View: Close All Editor Groups');
  await h.openFile(page, file);
  await h.runCommand(page, 'Model Lab: Train Model');
  const frame = await h.webviewFrame(page, { title: `Model Lab: ${name}`, timeout: 30_000 });
  const status = await h.waitUntil(page, async () => {
    const s = await h.inWebview(frame, (b) => b.dataset.status);
    return TERMINAL.has(s) ? s : null;
  }, { timeout, message: `${name} run finished` });
  assert.equal(status, 'completed');
  return frame;
}

/** What the training panel's charts show: the rate axis, the accuracy chart. */
const chartsShown = (frame) => h.inWebview(frame, (b) => {
  const chart = window.Chart?.getChart(document.querySelector('#loss-chart'));
  const lr = chart?.scales.lr;
  const box = document.getElementById('acc-box');
  return { rateAxis: Boolean(lr && lr.width > 0), rateLine: chart?.data.datasets.find((d) => d.label === 'learning rate')?.data.length ?? 0,
    accuracy: b.dataset.accuracyChart, accBoxHeight: box?.getBoundingClientRect().height ?? -1 };
});

/** Picks a colour theme with Preferences: Color Theme, as a person would. */
async function setTheme(page, label) {
  const dark = /dark/i.test(label);
  const isSet = () => page.evaluate((d) => document.querySelector('.monaco-workbench')?.classList.contains(d ? 'vs-dark' : 'vs') ?? false, dark);
  if (!(await isSet())) {
    await page.keyboard.press('F1');
    const box = page.locator('.quick-input-widget .quick-input-box input');
    await box.waitFor({ state: 'visible' });
    await box.fill('>Preferences: Color Theme');
    const row = (text) => page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) }).first();
    await row('Preferences: Color Theme').click({ timeout: 10_000 });
    await row('Light Modern').waitFor({ timeout: 10_000 });
    await box.fill(label);
    await row(label).click({ timeout: 10_000 });
    await h.waitUntil(page, isSet, { timeout: 15_000, message: `theme ${label}` });
  }
  await h.sleep(1000);
}

describe('what a person sees in the panels', () => {
  const wb = h.useWorkbench({ before, after, viewport: { width: 1600, height: 900 } });
  const step = h.reportingStep(() => wb.page);

  test('the active model file names the run: a file without runs says so, never shows another file\'s run', { timeout: 180_000 }, step('polish-active-run', async (t) => {
    const page = wb.page;
    const fresh = 'polish-fresh-cnn.model.yaml';
    await fsp.writeFile(path.join(wb.workspace, fresh), await fsp.readFile(path.join(wb.workspace, 'digits-cnn.model.yaml'), 'utf8'));
    const training = await trainAndWait(page, 'xor.model.yaml', 'xor');
    // A constant rate: no rate axis; a classifier: its accuracy chart.
    const shown = await chartsShown(training);
    t.diagnostic(`xor charts: ${JSON.stringify(shown)}`);
    assert.equal(shown.rateAxis, false, 'no learning-rate axis for a constant rate');
    assert.equal(shown.rateLine, 0);
    assert.equal(shown.accuracy, 'shown');

    await h.openFile(page, fresh);
    for (const command of ['Model Lab: Show Weights', 'Model Lab: Show Predictions', 'Model Lab: Show Training Panel']) {
      await h.runCommand(page, 'Notifications: Clear All Notifications');
      await h.runCommand(page, command);
      await h.waitUntil(page, async () => (await h.notifications(page)).some((n) => n.includes(`${fresh} has no training runs`)),
        { timeout: 10_000, message: `${command}: the message that ${fresh} has no runs` });
      assert.equal(await page.locator('.tabs-container .tab', { hasText: /^(Weights|Predictions): xor/ }).count(), 0, `${command} opened no panel of xor`);
    }

    // The weights table fits its panel beside the editor at 1600x900.
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'xor.model.yaml');
    await h.runCommand(page, 'Model Lab: Show Weights');
    const weights = await h.webviewFrame(page, { title: 'Weights: xor', timeout: 30_000 });
    await h.waitUntil(page, () => h.inWebview(weights, () => Boolean(document.querySelector('.table-box table'))), { timeout: 20_000, message: 'the all-layers table' });
    const fit = await h.inWebview(weights, () => {
      const box = document.querySelector('.table-box');
      return { scroll: box.scrollWidth, client: box.clientWidth, page: document.documentElement.scrollWidth, pageClient: document.documentElement.clientWidth };
    });
    t.diagnostic(`weights table: ${JSON.stringify(fit)}`);
    assert.ok(fit.scroll <= fit.client, `the table fits its box: ${fit.scroll} <= ${fit.client}`);
    assert.ok(fit.page <= fit.pageClient, `the page does not scroll sideways: ${fit.page} <= ${fit.pageClient}`);
    h.assertNoCspViolations(page);
  }));

  test('a regression run (sine): no accuracy chart, no rate axis, no empty confusion heading', { timeout: 240_000 }, step('polish-sine', async (t) => {
    const page = wb.page;
    const training = await trainAndWait(page, 'sine.model.yaml', 'sine', 180_000);
    const shown = await chartsShown(training);
    t.diagnostic(`sine charts: ${JSON.stringify(shown)}`);
    assert.equal(shown.accuracy, 'hidden');
    assert.equal(shown.accBoxHeight, 0, 'the accuracy chart takes no room');
    assert.equal(shown.rateAxis, false);
    await h.openFile(page, 'sine.model.yaml');
    await h.runCommand(page, 'Model Lab: Show Predictions');
    const predictions = await h.webviewFrame(page, { title: 'Predictions: sine', timeout: 30_000 });
    await h.waitUntil(page, () => h.inWebview(predictions, (b) => b.dataset.predictions === '1'), { timeout: 20_000, message: 'predictions drawn' });
    const headings = await h.inWebview(predictions, () => [...document.querySelectorAll('h2')].filter((e) => e.getClientRects().length > 0).map((e) => e.textContent));
    t.diagnostic(`visible headings: ${JSON.stringify(headings)}`);
    assert.ok(!headings.some((x) => /Confusion/.test(x)), 'no confusion-matrix heading without a matrix');
    h.assertNoCspViolations(page);
  }));

  test('every panel in a light and a dark theme: screenshots into the artifacts folder', { timeout: 420_000 }, step('polish-screenshots', async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'xor.model.yaml');
    // xor again, so compare has two runs of one file.
    await h.runCommand(page, 'Model Lab: Train Model');
    const again = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 30_000 });
    await h.waitUntil(page, async () => TERMINAL.has(await h.inWebview(again, (b) => b.dataset.status)) && (await h.inWebview(again, (b) => b.dataset.runId)) !== undefined, { timeout: 60_000, message: 'xor trained again' });
    await h.sleep(2000);

    /** Each panel: how to open it (once) and its tab title. */
    const panels = [
      { name: 'training', title: 'Model Lab: xor', open: async () => { await h.openFile(page, 'xor.model.yaml'); await h.runCommand(page, 'Model Lab: Show Training Panel'); } },
      ...['Weights', 'Gradient Flow', 'Filters', 'Predictions'].map((v) => ({ name: v.toLowerCase().replace(' ', '-'), title: `${v}: xor`, open: async () => { await h.openFile(page, 'xor.model.yaml'); await h.runCommand(page, `Model Lab: Show ${v}`); } })),
      { name: 'playground', title: 'Playground: Rosenbrock', open: async () => {
        await h.openFile(page, 'rosenbrock.surface.yaml');
        const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Open in Optimizer Playground' }).first();
        await lens.waitFor({ timeout: 20_000 });
        await lens.click();
      } },
      { name: 'compare', title: 'Model Lab: Compare', open: async () => {
        await h.runCommand(page, 'Model Lab: Compare Runs…', { quickPick: 'Compare runs' });
        await page.locator('.quick-input-widget .quick-input-box input').fill('xor');
        await page.locator('.quick-input-widget', { hasText: / runs match/ }).waitFor({ timeout: 10_000 });
        await page.keyboard.press('Enter');
      } },
      { name: 'lr-finder', title: 'Learning rate: xor', ready: (b) => b.dataset.status === 'done' || b.dataset.status === 'failed', open: async () => { await h.openFile(page, 'xor.model.yaml'); await h.runCommand(page, 'Model Lab: Find Learning Rate'); } },
      { name: 'augmentation', title: 'Augmentation: mnist-augment', open: async () => { await h.openFile(page, 'mnist-augment.model.yaml'); await h.runCommand(page, 'Model Lab: Preview Augmentation'); } },
    ];
    const saved = [];
    for (const theme of ['Light Modern', 'Dark Modern']) {
      await setTheme(page, theme);
      const tag = /dark/i.test(theme) ? 'dark' : 'light';
      for (const p of panels) {
        const open = await page.locator('.tabs-container .tab', { hasText: p.title }).count();
        if (!open) await p.open();
        const frame = await h.webviewFrame(page, { title: p.title, timeout: 30_000 });
        await h.waitUntil(page, () => h.inWebview(frame, p.ready ?? ((b) => b.dataset.ready === '1' || Boolean(b.dataset.step) || Boolean(b.dataset.samples))), { timeout: 120_000, message: `${p.name} drawn` });
        await h.sleep(800);
        saved.push(await h.screenshot(page, path.join(ARTIFACTS, 'panels', `${p.name}-${tag}.png`)));
      }
    }
    // The LR finder's log axis: few labels, far enough apart to read.
    const lrFrame = await h.webviewFrame(page, { title: 'Learning rate: xor' });
    const ticks = await h.inWebview(lrFrame, () => {
      const x = window.Chart.getChart(document.querySelector('#chart')).scales.x;
      return x.ticks.map((tk, i) => ({ label: tk.label, px: x.getPixelForTick(i) })).filter((tk) => tk.label);
    });
    t.diagnostic(`LR finder x labels: ${ticks.map((tk) => tk.label).join(' ')}`);
    assert.equal(new Set(ticks.map((tk) => tk.label)).size, ticks.length, 'distinct labels');
    for (let i = 1; i < ticks.length; i++) assert.ok(ticks[i].px - ticks[i - 1].px > 28, `labels ${ticks[i - 1].label} and ${ticks[i].label} do not collide`);
    t.diagnostic(`screenshots: ${saved.join(' ')}`);
    assert.equal(saved.length, panels.length * 2);
    h.assertNoCspViolations(page);
  }));
});
