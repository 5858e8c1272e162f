// Advice in the real editor: a model file that stacks two dense layers with no activation between
// them gets its inlay hints and the `linear-stack` warning in the Problems panel on the right line;
// "Explain" opens the rule's doc; the quick fix from Ctrl+. adds `activation: relu`, and the warning goes away.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const FILE = 'rules-demo.model.yaml';
const TEXT = `name: rules-demo
data:
  dataset: xor
model:
  input: [2]
  layers:
    - dense: {units: 8}
    - dense: {units: 1, activation: sigmoid}
train:
  loss: binaryCrossentropy
  learningRate: 0.01
  epochs: 5
`;

describe('rules', () => {
  const wb = h.useWorkbench({ before, after });

  test('a rule\'s warning shows on its line and its quick fix removes it', { timeout: 120_000 }, async (t) => {
    const page = wb.page;
    fs.writeFileSync(path.join(wb.workspace, FILE), TEXT);
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, FILE);
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
    const editorText = async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    await h.waitUntil(page, async () => (await editorText()).includes('→ [8] · 24 params'), { timeout: 20_000, message: 'inlay hint "→ [8] · 24 params"' });

    const ruleRows = async () => (await h.problems(page)).filter((r) => r.text.includes('linear-stack'));
    const rows = await h.waitUntil(page, async () => { const r = await ruleRows(); return r.length ? r : undefined; }, { timeout: 20_000, message: 'linear-stack in the Problems panel' });
    t.diagnostic(`problem: ${rows[0].text}`);
    assert.match(rows[0].text, /two linear layers in a row collapse into one linear map/);
    // Line 7 of the file (1-based), at the first dense.
    assert.match(rows[0].text, /\[Ln 7, Col 7\]/);

    // Put the cursor on the layer and open the quick fixes.
    await h.goToLine(page, 7, 8);
    await page.keyboard.press('Control+.');
    const menu = page.locator('.action-widget');
    await menu.waitFor({ state: 'visible', timeout: 10_000 });
    const items = await menu.locator('.action-item, .monaco-list-row').allTextContents();
    t.diagnostic(`quick fixes: ${items.join(' | ')}`);
    assert.ok(items.some((i) => i.includes('Explain linear-stack')), `no Explain action in ${items.join(' | ')}`);
    // "Explain" opens the rule's doc (shipped in the .vsix) as a rendered Markdown preview.
    const explain = menu.locator('.monaco-list-row', { hasText: 'Explain linear-stack' });
    await page.keyboard.press('ArrowDown');
    await h.waitUntil(page, async () => (await explain.getAttribute('class'))?.includes('focused'), { timeout: 5000, message: 'Explain focused' });
    await page.keyboard.press('Enter');
    const preview = await h.webviewFrame(page, { title: 'linear-stack.md' });
    await preview.locator('h1', { hasText: 'Linear layers stacked without a non-linearity' }).waitFor({ timeout: 15_000 });
    assert.match((await preview.locator('body').textContent()) ?? '', /W2·\(W1·x \+ b1\) \+ b2/);

    // Close the preview (a webview takes the keyboard focus whenever it reloads), back to the file.
    const previewTab = page.locator('.tabs-container .tab', { hasText: 'linear-stack.md' }).first();
    await previewTab.hover();
    await previewTab.locator('.codicon-close').click();
    await previewTab.waitFor({ state: 'detached', timeout: 10_000 });
    // Back in the model file, apply the fix.
    await page.locator('.tabs-container .tab', { hasText: FILE }).first().click();
    await h.goToLine(page, 7, 8);
    await page.keyboard.press('Control+.');
    await menu.waitFor({ state: 'visible', timeout: 10_000 });
    // The preferred fix comes first and is focused; the menu takes keys, not clicks (a pointer block covers it).
    const focused = menu.locator('.monaco-list-row.focused');
    await h.waitUntil(page, async () => ((await focused.getAttribute('aria-label')) ?? '') === 'Add activation: relu', { timeout: 5000, message: 'the fix focused in the menu' });
    await page.keyboard.press('Enter');

    await h.waitUntil(page, async () => (await editorText()).includes('- dense: {units: 8, activation: relu}'), { timeout: 10_000, message: 'the fix in the editor text' });
    await h.waitUntil(page, async () => (await ruleRows()).length === 0, { timeout: 15_000, message: 'linear-stack gone from the Problems panel' });
    await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS || os.tmpdir(), 'rules-fixed.png'));
    // Saved, so closing the editor later asks nothing.
    await h.runCommand(page, 'File: Save All Files');
    h.assertNoCspViolations(page);
  });

  test('completion offers layers under layers: and inserts the required options', { timeout: 60_000 }, async () => {
    const page = wb.page;
    fs.writeFileSync(path.join(wb.workspace, 'complete-demo.model.yaml'), 'name: complete-demo\nmodel:\n  input: [2]\n  layers:\n    - \n');
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'complete-demo.model.yaml');
    await h.goToLine(page, 5, 7);
    await page.keyboard.type('den');
    await page.keyboard.press('Control+Space');
    const suggest = page.locator('.editor-widget.suggest-widget.visible');
    await suggest.waitFor({ timeout: 10_000 });
    await h.waitUntil(page, async () => (await suggest.locator('.monaco-list-row.focused').textContent())?.includes('dense'), { timeout: 10_000, message: 'dense focused in the suggestions' });
    await page.keyboard.press('Enter');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
    await h.waitUntil(page, async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ').includes('- dense: {units: }'), { timeout: 10_000, message: 'the dense snippet in the text' });
    await page.keyboard.press('Escape');
    await h.runCommand(page, 'File: Save All Files');
  });

  test('a JavaScript model file trains in the worker from its own model(tf)', { timeout: 120_000 }, async (t) => {
    const page = wb.page;
    // heNormal under tanh: the rules' advice, which only the worker can find in a JS file, must reach the Problems panel.
    const js = fs.readFileSync(path.join(wb.workspace, 'js', 'xor.model.js'), 'utf8').replace('epochs: 60', 'epochs: 8')
      .replace("activation: 'tanh' }", "activation: 'tanh', kernelInitializer: 'heNormal' }");
    fs.writeFileSync(path.join(wb.workspace, 'xor-js.model.js'), js);
    await h.runCommand(page, 'View: Close All Editor Groups');
    try {
      await h.openFile(page, 'xor-js.model.js');
      await h.runCommand(page, 'Model Lab: Train Model');
      // The run's panel opens beside it; the status bar item says when the worker has finished.
      await page.locator('.tabs-container .tab', { hasText: 'Model Lab: xor-js' }).first().waitFor({ timeout: 30_000 });
      const done = await h.waitUntil(page, async () => (await h.statusBarTexts(page)).find((s) => /xor-js · completed · val acc/.test(s)), { timeout: 90_000, message: 'xor-js completed in the status bar' });
      t.diagnostic(`status bar: ${done}`);
      assert.ok(Number(/val acc ([\d.]+)/.exec(done)?.[1]) > 0.6, done);
      const line = js.split('\n').findIndex((l) => l.includes('heNormal'));
      const col = js.split('\n')[line].indexOf('kernelInitializer');
      const advice = await h.waitUntil(page, async () => (await h.problems(page)).find((r) => r.text.includes('init-activation')), { timeout: 20_000, message: 'init-activation in the Problems panel' });
      t.diagnostic(`problem: ${advice.text}`);
      assert.match(advice.text, new RegExp(`\\[Ln ${line + 1}, Col ${col + 1}\\]`), 'on the kernelInitializer key of the JS file');
    } catch (err) {
      await h.captureFailure(page, 'rules-js-model');
      throw err;
    }
    h.assertNoCspViolations(page);
  });
});
