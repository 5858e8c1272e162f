// The optimizer playground in the real editor: the palette command opens the course example (contour
// and three paths drawn step by step, 0.01 slow / 0.3 converged / 0.6 diverged), a typed formula with
// a mistake is pointed at, the chain-rule tab shows the course's -4, -4, 3, a surface file opens
// from its CodeLens, and a bad surface file gets a diagnostic on the exact characters.

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const markers = (frame) => h.inWebview(frame, (b) => ({ ...b.dataset }));
const legend = (frame) => h.inWebview(frame, () => [...document.querySelectorAll('#legend li')].map((li) => ({
  text: [...li.children].map((c) => c.textContent.trim()).filter(Boolean).join(' '), outcome: li.dataset.outcome, finalLoss: Number(li.dataset.finalLoss),
})));
// Pixels of the path colours on the canvas: proof the paths were drawn, not only counted.
const coloredPixels = (frame) => h.inWebview(frame, () => {
  const c = document.getElementById('contour');
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let strong = 0;
  for (let i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 120) strong++;
  return strong;
});

describe('optimizer playground', () => {
  const wb = h.useWorkbench({ before, after });

  test('the course example, a formula error, and the chain-rule tab', { timeout: 120_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    // A model file (not a surface file) is active: the command opens the course example. Opening a
    // file first also gives the palette time to list the extension's commands in a fresh window.
    await h.openFile(page, 'xor.model.yaml');
    await h.runCommand(page, 'Model Lab: Open Optimizer Playground');
    const frame = await h.webviewFrame(page, { title: 'Playground: Gradient descent (course example)', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame)).step === '20', { timeout: 20_000, message: 'the paths played to step 20' });
    const m = await markers(frame);
    assert.equal(m.pathPoints, '21,21,21', 'start + 20 steps drawn for each of the three rates');
    assert.ok(Number(m.contourSegments) > 200, `contour segments drawn: ${m.contourSegments}`);
    assert.ok((await coloredPixels(frame)) > 300, 'path colours on the canvas');
    const rows = await legend(frame);
    t.diagnostic(`legend: ${rows.map((r) => r.text).join(' | ')}`);
    assert.deepEqual(rows.map((r) => r.outcome), ['moving', 'converged', 'diverged']);
    assert.match(rows[0].text, /SGD, lr 0\.01 loss 0\.8364 still moving/);
    assert.ok(rows[1].finalLoss < 1e-12);
    assert.ok(rows[2].finalLoss > 1e5);

    // The step slider goes back in time: at step 5 each path shows 6 points.
    await h.inWebview(frame, () => {
      const s = document.getElementById('step-slider');
      s.value = '5';
      s.dispatchEvent(new Event('input'));
    });
    await h.waitUntil(page, async () => (await markers(frame)).pathPoints === '6,6,6', { message: 'paths cut at step 5' });

    // A typed formula with a mistake: the message and the marked characters; the plot stays.
    const formula = frame.locator('#formula-input input');
    await formula.fill('(x - 1)^2 + 2*(y - 1)^2 + foo(x)');
    await h.waitUntil(page, async () => (await frame.locator('#formula-error').textContent()).includes("Unknown name 'foo'"), { message: 'formula error shown' });
    assert.equal(await frame.locator('#formula-error mark').textContent(), 'foo');
    await formula.fill('(x - 1)^2 + 2*(y - 1)^2 + 0.5*sin(3*x)^2');
    await h.waitUntil(page, async () => (await frame.locator('#formula-error').textContent()) === '', { message: 'formula error cleared' });
    await h.waitUntil(page, async () => (await markers(frame)).pathPoints === '21,21,21', { message: 'paths of the new formula drawn' });

    // vscode-tabs gives its headers ids of its own; find the header by its data attribute.
    await frame.locator('vscode-tab-header[data-tab="chain"]').click();
    await h.waitUntil(page, async () => (await markers(frame)).tab === 'chain', { message: 'chain-rule tab' });
    const grads = await h.inWebview(frame, () => Object.fromEntries([...document.querySelectorAll('#chain-grads [data-var]')].map((s) => [s.dataset.var, s.textContent.trim()])));
    assert.deepEqual(grads, { x: 'df/dx = -4,', y: 'df/dy = -4,', z: 'df/dz = 3' });
    const nodes = await h.inWebview(frame, () => [...document.querySelectorAll('#chain-graph .node')].map((n) => `${n.dataset.name}:${n.dataset.value}:${n.dataset.grad}`));
    assert.deepEqual(nodes.sort(), ['f:-12:1', 'q:3:-4', 'x:-2:-4', 'y:5:-4', 'z:-4:3']);
    const rules = await frame.locator('#gate-rules').textContent();
    assert.match(rules, /add gate distributes/);
    assert.match(rules, /mul gate switches/);
    assert.match(rules, /max gate routes/);
    // Editing z changes the gradients: df/dx = df/dy = z.
    await frame.locator('#chain-z input').fill('2');
    await h.waitUntil(page, async () => (await frame.locator('#chain-grads').textContent()).includes('df/dx = 2'), { message: 'gradients for z = 2' });
    if (process.env.E2E_ARTIFACTS) await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS, 'playground-chain.png'));
    h.assertNoCspViolations(page);
  });

  test('a surface file opens from its CodeLens and survives a reload; a bad one is underlined where it is wrong', { timeout: 120_000 }, async (t) => {
    const page = wb.page;
    await h.runCommand(page, 'View: Close All Editor Groups');
    await h.openFile(page, 'rosenbrock.surface.yaml');
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Open in Optimizer Playground' }).first();
    await lens.waitFor({ timeout: 20_000 });
    await lens.click();
    const frame = await h.webviewFrame(page, { title: 'Playground: Rosenbrock - SGD vs momentum vs Adam', timeout: 30_000 });
    await h.waitUntil(page, async () => (await markers(frame)).step === '300', { timeout: 20_000, message: 'rosenbrock paths played to step 300' });
    assert.equal((await markers(frame)).pathPoints, '301,301,301');
    const [sgd, momentum] = await legend(frame);
    t.diagnostic(`rosenbrock: ${sgd.text} | ${momentum.text}`);
    assert.ok(momentum.finalLoss < sgd.finalLoss / 10, 'momentum far ahead of SGD');
    if (process.env.E2E_ARTIFACTS) await h.screenshot(page, path.join(process.env.E2E_ARTIFACTS, 'playground-rosenbrock.png'));

    // After a window reload the serializer brings the panel back with the file's paths.
    await h.reloadWindow(page);
    const restored = await h.webviewFrame(page, { title: 'Playground: Rosenbrock - SGD vs momentum vs Adam', timeout: 60_000 });
    await h.waitUntil(page, async () => (await markers(restored).catch(() => ({}))).step === '300', { timeout: 30_000, message: 'restored panel played to step 300' });
    assert.equal((await markers(restored)).pathPoints, '301,301,301');

    const bad = path.join(wb.workspace, 'playground', 'typo.surface.yaml');
    await fs.writeFile(bad, 'surface: x^2 + foo(y)\npaths:\n  - {optimizer: adamw, learningRate: 0.1}\n');
    await h.openFile(page, 'typo.surface.yaml');
    let rows = [];
    await h.waitUntil(page, async () => {
      rows = await h.problemsText(page);
      return rows.some((r) => r.includes("Unknown name 'foo'")) && rows.some((r) => r.includes("Did you mean 'adam'"));
    }, { timeout: 20_000, message: 'diagnostics of typo.surface.yaml' });
    t.diagnostic(`problems: ${rows.join(' | ').slice(0, 300)}`);
    assert.ok(rows.some((r) => r.includes("Unknown name 'foo'") && r.includes('[Ln 1, Col 16]')), 'formula error on foo, column 16');
    assert.ok(rows.some((r) => r.includes("Did you mean 'adam'") && r.includes('[Ln 3, Col 17]')), 'optimizer error on adamw');
    h.assertNoCspViolations(page);
  });
});
