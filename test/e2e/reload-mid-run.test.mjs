// A run the window loses mid-training (a reload must not lose what was recorded): close its
// training panel while it trains and show it again, then reload the whole window while it still
// trains. Nothing recorded is lost: the panel comes back (WebviewPanelSerializer) with every epoch
// recorded so far, the run reads as failed with the reason (the window reloaded) in the panel, the
// record and the Runs view, and the next run starts and completes normally.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const workspace = process.env.E2E_WORKSPACE;

// xor with many small batches and epochs: long enough to be mid-run after a reload on a busy machine.
const LONG_MODEL = `name: reload-long
data:
  dataset: xor
  samples: 2000
  noise: 0.05
  validationSplit: 0.2
model:
  input: [2]
  layers:
    - dense: {units: 16, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train:
  loss: binaryCrossentropy
  optimizer: adam
  learningRate: 0.01
  batchSize: 8
  epochs: 3000
  metrics: [accuracy]
  seed: 1
`;

const markers = (frame) => h.inWebview(frame, (b) => ({
  ready: b.dataset.ready, status: b.dataset.status, epochs: Number(b.dataset.epochs), runId: b.dataset.runId,
  message: document.getElementById('message')?.textContent ?? '',
  points: window.Chart?.getChart(document.querySelector('#loss-chart'))?.data.datasets.find((d) => d.label === 'train loss')?.data.length ?? -1,
}));

/** Epoch lines in the run's metrics.jsonl (what the record holds). */
function recordedEpochs(dir) {
  const text = fs.existsSync(path.join(dir, 'metrics.jsonl')) ? fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8') : '';
  return text.split('\n').filter((l) => l.startsWith('{"kind":"epoch"')).length;
}

async function longRunDir() {
  const base = path.join(workspace, '.modellab', 'runs');
  const dirs = (await fsp.readdir(base)).filter((d) => d.endsWith('-reload-long')).sort();
  assert.equal(dirs.length, 1, `one reload-long record: ${dirs}`);
  return path.join(base, dirs[0]);
}


const rowTexts = (page) => page.locator('.pane-body .monaco-list-row').evaluateAll((rows) => rows.map((r) => r.textContent.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()));

describe('a run survives losing its panel and its window', () => {
  const wb = h.useWorkbench({ before, after });
  before(async () => {
    await fsp.writeFile(path.join(workspace, 'reload-long.model.yaml'), LONG_MODEL);
  });

  const step = h.reportingStep(() => wb.page);

  test('closing the panel mid-run loses nothing; a window reload mid-run brings the history back, marked interrupted', { timeout: 240_000 }, step('reload-mid-run', async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'reload-long.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    let frame = await h.webviewFrame(page, { title: 'Model Lab: reload-long', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).epochs >= 2, { timeout: 60_000, message: 'reload-long: 2 epochs' });
    const dir = await longRunDir();
    const { runId } = await markers(frame);

    // Close the panel (and the editor) while it trains; training goes on; Show Training Panel draws it all.
    await h.runCommand(page, 'View: Close All Editor Groups');
    const closedAt = recordedEpochs(dir);
    await h.waitUntil(page, async () => recordedEpochs(dir) >= closedAt + 2, { timeout: 60_000, message: 'two more epochs recorded while the panel is closed' });
    await h.runCommand(page, 'Model Lab: Show Training Panel');
    frame = await h.webviewFrame(page, { title: 'Model Lab: reload-long', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).ready === '1', { timeout: 20_000, message: 'panel drawn again' });
    // The chart takes a message's points when it arrives and the header its epoch count on the next
    // frame: read the two from one drawn frame, not between a message and its frame. Epochs take
    // ~0.15 s and a loaded machine delays the panel by a few of them, so the panel is compared with the
    // record on both sides: it catches up with every epoch recorded when it was drawn, and never shows
    // one the record lacks.
    const recordedWhenDrawn = recordedEpochs(dir);
    let reopened = await markers(frame);
    await h.waitUntil(page, async () => (reopened = await markers(frame)).points === reopened.epochs && reopened.epochs >= recordedWhenDrawn,
      { timeout: 10_000, message: `the panel shows every epoch recorded when it was drawn (${recordedWhenDrawn}), one loss point each: ${JSON.stringify(reopened)}` });
    const onDisk = recordedEpochs(dir);
    assert.equal(reopened.status, 'running');
    assert.equal(reopened.runId, runId, 'the same run');
    assert.ok(reopened.epochs >= closedAt + 2, `epochs trained while closed are shown: panel ${reopened.epochs}, at close ${closedAt}`);
    assert.ok(reopened.epochs <= onDisk + 1, `the panel shows no epoch the record lacks: panel ${reopened.epochs}, record ${onDisk}`);
    assert.equal(reopened.points, reopened.epochs, 'one loss point per epoch on the chart');

    // Reload the window mid-run.
    const beforeReload = (await markers(frame)).epochs;
    assert.ok(beforeReload < 3000, 'still training before the reload');
    await h.reloadWindow(page);
    frame = await h.webviewFrame(page, { title: 'Model Lab: reload-long', timeout: 60_000 });
    await h.waitUntil(page, async () => {
      const m = await markers(frame).catch(() => ({}));
      return m.ready === '1' && m.status !== 'running' && m.status !== 'starting' && m;
    }, { timeout: 60_000, message: 'restored panel with a final status' });
    const restored = await markers(frame);
    t.diagnostic(`before reload ${beforeReload} epochs; restored ${JSON.stringify(restored)}; record ${recordedEpochs(dir)}`);
    const summaryFile = path.join(dir, 'summary.json');
    t.diagnostic(`summary: ${fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : '(none)'}`);
    // The old window's worker is gone: the record stops growing.
    const settled = recordedEpochs(dir);
    await h.sleep(3000);
    t.diagnostic(`record after 3 s: ${recordedEpochs(dir)} (was ${settled})`);
    assert.equal(restored.runId, runId, 'the restored panel shows the same run');
    assert.ok(restored.epochs >= beforeReload, `history kept: ${restored.epochs} epochs restored, ${beforeReload} seen before the reload`);
    assert.equal(restored.points, restored.epochs);
    assert.equal(restored.status, 'failed');
    // From the record: summary.json written by the new window (or, before it could tell, the reader's own words).
    assert.match(restored.message, /interrupted after \d+ (of 3000 )?epochs.*the window was reloaded or closed/i);
    assert.equal(recordedEpochs(dir), settled, 'nothing trains on after the reload');

    // The record says so too: the new window found the run's process gone and wrote its summary.
    await h.waitUntil(page, async () => fs.existsSync(summaryFile), { timeout: 30_000, message: 'summary.json of the interrupted run' });
    const summary = JSON.parse(await fsp.readFile(summaryFile, 'utf8'));
    assert.equal(summary.status, 'failed');
    assert.match(summary.error, /^Interrupted after \d+ of 3000 epochs: the window was reloaded or closed/);
    assert.equal(summary.epochsDone, recordedEpochs(dir), 'the summary counts the epochs the record holds');

    // The Runs view lists it, failed, with the epochs it ran.
    await h.showRunsView(page);
    const row = await h.waitUntil(page, async () => (await rowTexts(page)).find((r) => /^reload-long (\d{2}:\d{2}:\d{2}|\d{2}-\d{2} \d{2}:\d{2})/.test(r)),
      { timeout: 20_000, message: 'the reload-long run in the Runs view' });
    assert.match(row, /failed · val acc \d\.\d{3}/, `runs view row: ${row}`);
    t.diagnostic(`runs view: ${row}`);

    // And the next run starts and completes normally.
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'xor.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    const next = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(next).catch(() => ({}))).status === 'completed', { timeout: 90_000, message: 'xor completed after the reload' });
    assert.equal((await markers(next)).epochs, 60);
    h.assertNoCspViolations(page);
  }));
});
