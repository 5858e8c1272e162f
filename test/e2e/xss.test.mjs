// Workspace text is text (a cloned repository may hold hostile names): a model file whose name, a
// layer id and its CSV file's name are HTML with an onerror handler and a script is trained, then
// opened in every place that shows those strings: the training panel, the inside panels, the
// compare panel, the Runs view and a notebook's output. Each must show the string as text; no <img
// src=x> may exist anywhere and the payload's side effect (document.body.dataset.pwned) must not
// happen in any frame. The fixture is written into the scratch workspace, not into examples/.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const url = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
if (!url || !workspace) throw new Error('E2E_URL and E2E_WORKSPACE are not set: run node test/e2e/run.mjs');

const IMG = '<img src=x onerror="document.body.dataset.pwned=1">';
const NAME = `${IMG}</script><script>document.body.dataset.pwned=2</script>`;
const LAYER = '<img src=x onerror="document.body.dataset.pwned=3">';
const CSV = '<img src=x onerror=document.body.dataset.pwned=4>.csv';
const yamlString = (s) => `'${s.replace(/'/g, "''")}'`;

const MODEL = `name: ${yamlString(NAME)}
data:
  csv: ${yamlString(CSV)}
  target: label
  validationSplit: 0.2
model:
  input: [2]
  layers:
    - dense: {id: ${yamlString(LAYER)}, units: 8, activation: tanh}
    - dense: {units: 1, activation: sigmoid}
train:
  loss: binaryCrossentropy
  optimizer: adam
  learningRate: 0.05
  batchSize: 32
  epochs: 6
  metrics: [accuracy]
  seed: 1
`;

function csvRows() {
  const rows = ['a,b,label'];
  for (let i = 0; i < 160; i++) {
    const a = Math.sin(i * 12.9898);
    const b = Math.cos(i * 78.233);
    rows.push(`${a.toFixed(3)},${b.toFixed(3)},${a * b < 0 ? 1 : 0}`);
  }
  return `${rows.join('\n')}\n`;
}

/** A second, finished run of the same file with another CSV, so the compare table lists data.csv. */
async function writeOtherRecord() {
  const dir = path.join(workspace, '.modellab', 'runs', '20200101-000000-xss-other');
  await fsp.mkdir(dir, { recursive: true });
  // Another name, CSV and layer id: the compare table lists exactly the keys whose values differ.
  const other = MODEL.replace(/^name: .*$/m, 'name: xss-other').replace(/^ {2}csv: .*$/m, '  csv: other.csv').replace(yamlString(LAYER), 'plain');
  await fsp.writeFile(path.join(dir, 'model.yaml'), other);
  await fsp.writeFile(path.join(dir, 'run.json'), JSON.stringify({
    id: 'xss-other', name: 'xss-other', modelFile: path.join(workspace, 'xss.model.yaml'), startedAt: '2020-01-01T00:00:00.000Z', epochs: 2, batchSize: 32,
    batchesPerEpoch: 1, trainSamples: 32, valSamples: 8, backend: 'cpu', metrics: ['loss', 'accuracy'], dataset: 'csv: other.csv', seed: 1, totalParams: 33,
  }));
  const epochs = [1, 2].map((epoch) => JSON.stringify({ kind: 'epoch', epoch, loss: 1 / epoch, valLoss: 1 / epoch, valAccuracy: 0.5, learningRate: 0.05, samplesPerSec: 100, elapsedMs: epoch * 100 }));
  await fsp.writeFile(path.join(dir, 'metrics.jsonl'), `${epochs.join('\n')}\n`);
  await fsp.writeFile(path.join(dir, 'summary.json'), JSON.stringify({ status: 'completed', endedAt: '', durationMs: 200, epochsDone: 2 }));
}

/** What a document shows of the payload: its text, the <img src=x> elements and the side effect. */
const probe = (body) => ({
  text: (body.textContent ?? '').replace(/\u00a0/g, ' '),
  imgs: body.ownerDocument.querySelectorAll('img[src="x"]').length,
  pwned: body.ownerDocument.body.dataset.pwned ?? null,
  // VS Code adds its own inline script (acquireVsCodeApi) to every webview; none may carry the payload.
  payloadScripts: [...body.ownerDocument.scripts].filter((s) => s.textContent.includes('pwned')).length,
});

async function assertText(frame, where, strings) {
  const seen = await h.inWebview(frame, probe);
  for (const s of strings) assert.ok(seen.text.includes(s), `${where}: shows ${JSON.stringify(s)} as text; text is ${JSON.stringify(seen.text.slice(0, 300))}`);
  assert.equal(seen.imgs, 0, `${where}: no <img src=x> element`);
  assert.equal(seen.pwned, null, `${where}: the payload did not run`);
  assert.equal(seen.payloadScripts, 0, `${where}: no script element made from the payload`);
}

/** The side effect in every frame of the window: the workbench, webview hosts and their documents. */
async function assertNowhere(page) {
  for (const frame of page.frames()) {
    const seen = await frame.evaluate(() => ({ pwned: document.body?.dataset.pwned ?? null, imgs: document.querySelectorAll('img[src="x"]').length }), undefined).catch(() => undefined);
    if (!seen) continue; // a frame torn down meanwhile
    assert.equal(seen.pwned, null, `frame ${frame.url().slice(0, 80)}: the payload ran`);
    assert.equal(seen.imgs, 0, `frame ${frame.url().slice(0, 80)}: an <img src=x> element`);
  }
  h.assertNoCspViolations(page);
}

describe('hostile names render as text', () => {
  const wb = h.useWorkbench({ before, after });
  let page;
  before(async () => {
    page = wb.page;
    await fsp.writeFile(path.join(workspace, CSV), csvRows());
    await fsp.writeFile(path.join(workspace, 'xss.model.yaml'), MODEL);
    await writeOtherRecord();
    const cell = { kind: 'model', source: MODEL.trimEnd().split('\n') };
    await fsp.writeFile(path.join(workspace, 'xss.modelnb'), JSON.stringify({ modelLabNotebook: 1, cells: [cell] }, null, 2));
  });

  const step = h.reportingStep(() => page);

  test('training, inside, compare panels and the Runs view', { timeout: 150_000 }, step('xss-panels', async (t) => {
    const started = Date.now();
    await h.openFile(page, 'xss.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    const training = await h.webviewFrame(page, { title: 'Model Lab: <img', timeout: 30_000 });
    const status = await h.waitUntil(page, async () => {
      const s = await h.inWebview(training, (b) => b.dataset.status);
      return ['completed', 'stopped', 'failed'].includes(s) && s;
    }, { timeout: 60_000, interval: 200, message: 'the run ends' });
    const message = await h.inWebview(training, () => document.getElementById('message')?.textContent ?? '');
    assert.equal(status, 'completed', `the hostile-named model trains (message: ${message})`);
    await assertText(training, 'training panel', [NAME]);

    for (const [command, title, strings] of [
      ['Model Lab: Show Weights', 'Weights: <img', [NAME, LAYER]],
      ['Model Lab: Show Gradient Flow', 'Gradient Flow: <img', [NAME, LAYER]],
      ['Model Lab: Show Predictions', 'Predictions: <img', [NAME]],
      ['Model Lab: Show Filters', 'Filters: <img', [NAME]],
    ]) {
      await h.openFile(page, 'xss.model.yaml');
      await h.runCommand(page, command);
      const frame = await h.webviewFrame(page, { title, timeout: 30_000 });
      await h.waitUntil(page, async () => (await h.inWebview(frame, probe)).text.includes(strings.at(-1)), { timeout: 20_000, message: `${title}: shows ${strings.at(-1)}` });
      await assertText(frame, title, strings);
    }

    const compare = await h.compareRunsMatching(page, 'file:xss.model', 2);
    await assertText(compare, 'compare panel', [NAME, CSV, LAYER]);

    const icon = page.locator('.activitybar .action-item a.action-label[aria-label^="Model Lab"]').first();
    await icon.waitFor({ timeout: 30_000 });
    if (!(await page.locator('.sidebar .composite.title', { hasText: /Model Lab/i }).isVisible().catch(() => false))) await icon.click();
    const rows = () => page.locator('.pane-body .monaco-list-row').evaluateAll((els) => els.map((r) => r.textContent.replace(/\u00a0/g, ' ')));
    await h.waitUntil(page, async () => (await rows()).some((r) => r.includes(NAME)), { timeout: 20_000, message: 'the run in the Runs view, named as text' });
    await assertNowhere(page);
    t.diagnostic(`panels checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }));

  test('notebook output', { timeout: 120_000 }, step('xss-notebook', async (t) => {
    const started = Date.now();
    await h.runCommand(page, 'View: Close All Editor Groups');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget .quick-input-box input').fill('xss.modelnb');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'xss.modelnb' }).waitFor({ timeout: 20_000 });
    await page.keyboard.press('Enter');
    await page.locator('.notebook-editor .cell-list-container').first().waitFor({ timeout: 30_000 });
    await page.locator('.notebook-toolbar-container .action-item', { hasText: 'Run All' }).first().click();
    const pick = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Model Lab' }).first();
    if (await pick.waitFor({ timeout: 3000 }).then(() => true, () => false)) await pick.click();
    let frame;
    await h.waitUntil(page, async () => {
      frame ??= await h.webviewFrame(page, { index: 0, timeout: 2000 }).catch(() => undefined);
      if (!frame) return false;
      return h.inWebview(frame, () => {
        const root = document.querySelector('.modellab-curves');
        return root?.dataset.status === 'completed' && /completed · 6\/6 epochs/.test(document.body.innerText.replace(/\u00a0/g, ' '));
      }).catch(() => false);
    }, { timeout: 90_000, interval: 500, message: 'the cell trained and its outputs are drawn' });
    await assertText(frame, 'notebook output', [NAME, LAYER]);
    assert.equal(await h.inWebview(frame, () => document.querySelector('.modellab-curves')?.dataset.name), NAME, 'the curves carry the name as data, not markup');
    await assertNowhere(page);
    t.diagnostic(`notebook checked in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }));
});
