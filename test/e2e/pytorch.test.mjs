// The PyTorch engine in a real VS Code: a model file with `engine: pytorch` shows the interpreter's
// problem on its engine line while no Python with torch is set, then trains through the real runner
// once modelLab.pythonPath names one: the training panel draws its curves and says which engine
// trained, and the Weights panel draws the statistics the runner measured.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const workspace = process.env.E2E_WORKSPACE;
const EPOCHS = 20;
const MISSING = '/nonexistent/bin/python3';

function setPythonPath(value) {
  const dir = path.join(workspace, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'modelLab.pythonPath': value }, null, 2));
}

const markers = (frame) => h.inWebview(frame, (b) => ({ ...b.dataset }));

describe('The PyTorch engine', () => {
  const wb = h.useWorkbench({ before, after });
  let page;
  const python = h.torchPython();
  const text = fs.readFileSync(path.join(workspace, 'xor.model.yaml'), 'utf8')
    .replace('name: xor', 'name: xor-torch').replace('epochs: 60', `epochs: ${EPOCHS}\n  engine: pytorch`);
  const engineLine = text.split('\n').findIndex((l) => l.includes('engine: pytorch')) + 1;
  before(() => {
    page = wb.page;
    setPythonPath(MISSING);
    fs.writeFileSync(path.join(workspace, 'xor-torch.model.yaml'), text);
  });
  after(() => {
    fs.rmSync(path.join(workspace, '.vscode', 'settings.json'), { force: true });
  });
  const step = h.reportingStep(() => page);

  test('no Python with torch: the problem on the engine line; with one: trains, curves and the Weights panel', { timeout: 240_000 }, step('pytorch-xor', async () => {
    await h.openFile(page, 'xor-torch.model.yaml');
    let rows = [];
    await h.waitUntil(page, async () => {
      rows = await h.problems(page);
      return rows.find((r) => r.text.includes(`'${MISSING}' was not found`) && r.text.includes(`[Ln ${engineLine},`));
    }, { timeout: 30_000, message: `the interpreter's problem on line ${engineLine}: ${JSON.stringify(rows.slice(0, 5))}` });

    // Its quick fix (the stand-in Python extension's picker: pytorch-interpreter.test.mjs runs it).
    await h.goToLine(page, engineLine, 12);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 10_000 });
    const items = await menu.locator('.action-item, .monaco-list-row').allTextContents();
    assert.ok(items.some((i) => i.includes('Choose Python interpreter')), `quick fixes: ${items.join(' | ')}`);
    await page.keyboard.press('Escape');

    setPythonPath(python);
    await h.waitUntil(page, async () => !(await h.problemsText(page)).some((t) => t.includes('pytorch-unavailable')),
      { timeout: 30_000, message: 'the problem goes once modelLab.pythonPath names a Python with torch' });

    await h.openFile(page, 'xor-torch.model.yaml');
    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: 'Model Lab: xor-torch', timeout: 30_000 });
    await h.waitUntil(page, async () => ['completed', 'failed', 'stopped'].includes((await markers(frame)).status),
      { timeout: 120_000, message: 'the PyTorch run ended' });
    const m = await markers(frame);
    assert.equal(m.status, 'completed', await frame.locator('#message').textContent());
    assert.equal(Number(m.epochs), EPOCHS);
    assert.match(await frame.locator('#backend').textContent(), /^pytorch \(cpu\)$/);
    const loss = await h.inWebview(frame, () => {
      const chart = window.Chart?.getChart(document.querySelector('#loss-chart'));
      return chart?.data.datasets.find((d) => d.label === 'train loss')?.data.map((p) => p.y);
    });
    assert.equal(loss?.length, EPOCHS, 'one train loss point per epoch');
    assert.ok(loss.at(-1) < loss[0] * 0.8, `the loss fell: ${loss[0]} → ${loss.at(-1)}`);

    await h.openFile(page, 'xor-torch.model.yaml');
    await h.runCommand(page, 'Model Lab: Show Weights');
    const weights = await h.webviewFrame(page, { title: 'Weights: xor-torch', timeout: 30_000 });
    await h.waitUntil(page, async () => Number((await markers(weights)).records) === EPOCHS + 1,
      { timeout: 30_000, message: `weights panel: ${EPOCHS + 1} statistics records (init + every epoch)` });
    await h.waitUntil(page, async () => Number((await markers(weights)).histograms) >= 1, { timeout: 10_000, message: 'weights panel drew its histograms' });
    const rowsInTable = await weights.locator('table tr').count();
    assert.equal(rowsInTable, 3, 'a table row per layer (two dense layers) plus the header');
    if (process.env.E2E_ARTIFACTS) await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS, 'pytorch-weights.png'));
  }));
});
