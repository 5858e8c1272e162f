// Beside each layer of a model file, in the real editor: an inlay hint with the output shape and
// parameter count, and a hover with the arithmetic.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';


describe('layer hints', () => {
  const wb = h.useWorkbench({ before, after });

  test('inlay hints show each layer\'s output shape and parameters; the hover shows the init targets', { timeout: 90_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'xor.model.yaml');
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
    // The editor renders spaces as no-break spaces.
    const editorText = async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
    // The first dense layer: [2] -> [8], 2*8 + 8 = 24 parameters; the second: [1], 9 parameters.
    await h.waitUntil(page, async () => (await editorText()).includes('→ [8] · 24 params'), { timeout: 20_000, message: 'inlay hint "→ [8] · 24 params"' });
    const text = await editorText();
    assert.ok(text.includes('→ [1] · 9 params'), `second layer hint missing in: ${text.slice(0, 400)}`);

    const lens = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration', { hasText: /params\s\(conv/ });
    await lens.first().waitFor({ timeout: 15_000 });
    assert.match(((await lens.first().textContent()) ?? '').replace(/\u00a0/g, ' '), /Σ 33 params \(conv 0\.0% · dense 100\.0%\) · 24 MACs per example/);

    const layerKey = page.locator('.editor-group-container.active .monaco-editor .view-line', { hasText: 'units: 8' }).locator('span', { hasText: /^dense$/ }).first();
    const shown = await h.hoverText(page, layerKey, /Glorot\/Xavier Var = 2\/\(n_in\+n_out\) = 0\.2/, { message: 'hover with the Glorot target 2/(2+8) = 0.2' });
    t.diagnostic(`hover: ${shown.slice(0, 160)}`);
    h.assertNoCspViolations(page);
  });

  test('an architecture file gets the totals lens and a lens saying why it has no Train', { timeout: 60_000 }, async () => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'architectures/googlenet.model.yaml');
    const lenses = page.locator('.editor-group-container.active .monaco-editor .codelens-decoration');
    const lensText = async () => ((await lenses.allTextContents()).join(' | ')).replace(/\u00a0/g, ' ');
    await h.waitUntil(page, async () => /Σ 6,998,552 params/.test(await lensText()), { timeout: 20_000, message: 'the totals lens of GoogLeNet' });
    const text = await lensText();
    // The seed table's shares (docs/networks.md): 85.4 / 14.6 of the parameters, 99.9 / 0.1 of the MACs.
    assert.match(text, /Σ 6,998,552 params \(conv 85\.4% · dense 14\.6%\) · [\d.]+ ?[GM] MACs per example \(conv 99\.9% · dense 0\.1%\)/);
    assert.match(text, /Architecture file: training needs data and train sections/);
    assert.doesNotMatch(text, /(^|\| )Train( |$)/, 'no Train lens on a file with nothing to train');
  });
});
