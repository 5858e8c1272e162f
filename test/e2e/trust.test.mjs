// Workspace Trust in the real editor (Restricted Mode and its prompts exist only there). The suite
// runs with trust enabled; its scratch workspace was trusted once at startup (run.mjs). This test
// opens a second folder that nobody trusted, so the window is in Restricted Mode, and checks both
// sides:
//   - a declarative model file is data: it is analysed (inlay hints) and trains;
//   - a JavaScript model file is code: Train refuses it and says why and how to trust;
//   - a model file whose data lies outside the workspace is refused on its data line;
// then trusts the folder the way a user does (Manage Workspace Trust, Trust) and trains both.

import assert from 'node:assert/strict';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as h from './harness.mjs';

const url = process.env.E2E_URL;
const workspace = process.env.E2E_WORKSPACE;
const repo = process.env.E2E_REPO || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
if (!url || !workspace) throw new Error('E2E_URL and E2E_WORKSPACE are not set: run `npm run test:e2e` (or node test/e2e/run.mjs)');

const markers = (frame) => h.inWebview(frame, (b) => ({ status: b.dataset.status, epochs: Number(b.dataset.epochs), message: document.getElementById('message')?.textContent ?? '' }));
const editorText = async (page) => ((await page.locator('.editor-group-container.active .monaco-editor .view-lines').textContent()) ?? '').replace(/\u00a0/g, ' ');

// Data outside the folder: beside it, in the run's scratch root (outside the trusted workspace too).
const OUTSIDE_MODEL = `name: outside
data:
  csv: ../secret.csv
  target: y
model:
  input: [1]
  layers:
    - dense: {units: 1}
train:
  loss: meanSquaredError
  optimizer: adam
  learningRate: 0.1
  batchSize: 4
  epochs: 5
  seed: 1
`;

describe('Workspace Trust: Restricted Mode trains data, refuses code', () => {
  let browser;
  let page;
  let folder;

  const step = h.reportingStep(() => page);

  before(async () => {
    // A sibling of the trusted workspace (not inside it, so not covered by its trust).
    folder = path.join(path.dirname(workspace), 'untrusted-models');
    await fsp.rm(folder, { recursive: true, force: true });
    await fsp.mkdir(folder, { recursive: true });
    const examples = path.join(repo, 'examples');
    await fsp.copyFile(path.join(examples, 'xor.model.yaml'), path.join(folder, 'xor.model.yaml'));
    await fsp.copyFile(path.join(examples, 'js', 'xor.model.js'), path.join(folder, 'jsxor.model.js'));
    await fsp.writeFile(path.join(folder, 'outside.model.yaml'), OUTSIDE_MODEL);
    await fsp.writeFile(path.join(path.dirname(folder), 'secret.csv'), 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i / 10},${(2 * i) / 10 + 1}`).join('\n') + '\n');
    browser = await h.launchBrowser();
    page = await h.openWorkbench(browser, url, folder);
  });
  after(async () => {
    await browser?.close();
  });

  test('the folder opens in Restricted Mode', { timeout: 120_000 }, step('trust-restricted', async () => {
    await h.waitUntil(page, async () => (await h.statusBarTexts(page)).includes('Restricted Mode'),
      // VS Code decides only once it has resolved the folder through the server: slow on a busy machine.
      { timeout: 60_000, message: 'the "Restricted Mode" status bar item' });
    assert.equal(await h.workspaceTrusted(page), false, 'the Workspace Trust editor says the folder is not trusted');
    await h.runCommand(page, 'View: Close All Editor Groups');
  }));

  test('a declarative model file is analysed and trains in Restricted Mode', { timeout: 120_000 }, step('trust-yaml', async (t) => {
    await h.openFile(page, 'xor.model.yaml');
    await h.waitUntil(page, async () => (await editorText(page)).includes('→ [8] · 24 params'), { timeout: 20_000, message: 'inlay hint "→ [8] · 24 params"' });
    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: 'Model Lab: xor', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).status === 'completed', { timeout: 90_000, message: 'xor run completed in Restricted Mode' });
    assert.equal((await markers(frame)).epochs, 60);
    const records = await fsp.readdir(path.join(folder, '.modellab', 'runs'));
    assert.equal(records.filter((d) => d.endsWith('-xor')).length, 1, `one xor run record, have ${records}`);
    t.diagnostic('xor.model.yaml: inlay hints shown, 60 epochs trained untrusted');
    await h.runCommand(page, 'View: Close All Editor Groups');
  }));

  test('a JavaScript model file is refused with why and how to trust', { timeout: 60_000 }, step('trust-js-refused', async (t) => {
    await h.openFile(page, 'jsxor.model.js');
    await h.runCommand(page, 'Model Lab: Train Model');
    const toast = await h.waitUntil(page, async () => (await h.notifications(page)).find((n) => n.includes('JavaScript model')),
      { timeout: 15_000, message: 'a notification about the JavaScript model file' });
    // Why (it runs the file's code) and how (Manage Workspace Trust), with the button to do it.
    assert.match(toast, /runs a JavaScript model file's code .* only in a trusted workspace/);
    assert.match(toast, /Trust this folder with "Manage Workspace Trust"/);
    assert.ok(await page.locator('.notifications-toasts .notification-toast .monaco-button', { hasText: 'Manage Workspace Trust' }).count() > 0, 'the notification offers Manage Workspace Trust');
    const records = await fsp.readdir(path.join(folder, '.modellab', 'runs'));
    assert.ok(!records.some((d) => d.includes('jsxor')), `no run was started for the JS file: ${records}`);
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Model Lab: jsxor' }).count(), 0, 'no training panel opened');
    t.diagnostic(`refusal: ${toast.slice(0, 200)}`);
    await h.runCommand(page, 'Notifications: Clear All Notifications');
  }));

  test('data outside the workspace is refused on its data line', { timeout: 60_000 }, step('trust-outside-data', async (t) => {
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'outside.model.yaml');
    // In the editor: a diagnostic on the csv line (line 3) saying why and how to trust.
    const rows = await h.waitUntil(page, async () => {
      const all = await h.problems(page);
      return all.some((r) => /outside it/.test(r.text)) && all;
    }, { timeout: 20_000, message: 'a Problems row about data outside the workspace' });
    const row = rows.find((r) => /outside it/.test(r.text));
    assert.match(row.text, /reads data only from inside the workspace; csv: \.\.\/secret\.csv is outside it\. Trust the workspace \(Manage Workspace Trust\) to allow it\./);
    assert.match(row.text, /\[Ln 3, Col \d+\]/, `on the csv line: ${row.text}`);
    assert.equal(row.file, 'outside.model.yaml');
    // And Train refuses with the same words and the line.
    await h.openFile(page, 'outside.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    const toast = await h.waitUntil(page, async () => (await h.notifications(page)).find((n) => n.includes('outside it')),
      { timeout: 15_000, message: 'a notification refusing the outside data' });
    assert.match(toast, /csv: \.\.\/secret\.csv is outside it\. Trust the workspace \(Manage Workspace Trust\) to allow it\. \(line 3\)/);
    const records = await fsp.readdir(path.join(folder, '.modellab', 'runs'));
    assert.ok(!records.some((d) => d.includes('outside')), `no run was started: ${records}`);
    t.diagnostic(`problem: ${row.text.slice(0, 200)}`);
    await h.runCommand(page, 'Notifications: Clear All Notifications');
  }));

  test('once the folder is trusted, the JavaScript model and the outside data train', { timeout: 150_000 }, step('trust-granted', async (t) => {
    await h.trustFolder(page);
    assert.equal(await h.workspaceTrusted(page), true);
    await h.runCommand(page, 'View: Close All Editor Groups');

    await h.openFile(page, 'jsxor.model.js');
    await h.runCommand(page, 'Model Lab: Train Model');
    let frame = await h.webviewFrame(page, { title: 'Model Lab: jsxor', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).status === 'completed', { timeout: 90_000, message: 'jsxor run completed once trusted' });
    assert.equal((await markers(frame)).epochs, 60);

    // The diagnostic about the outside data is gone with the restriction, and the file trains.
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'outside.model.yaml');
    await h.waitUntil(page, async () => !(await h.problems(page)).some((r) => /outside it/.test(r.text)),
      { timeout: 20_000, message: 'the outside-data problem to go once trusted' });
    await h.openFile(page, 'outside.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    frame = await h.webviewFrame(page, { title: 'Model Lab: outside', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame).catch(() => ({}))).status === 'completed', { timeout: 60_000, message: 'outside run completed once trusted' });
    assert.equal((await markers(frame)).epochs, 5);
    t.diagnostic('trusted: jsxor.model.js trained 60 epochs, outside.model.yaml 5');
    h.assertNoCspViolations(page);
  }));
});
