// Which Python trains a PyTorch run in the real editor, with the Python extension installed (its
// stand-in, fixtures/ms-python, installed by run.mjs): without modelLab.pythonPath, the interpreter
// that extension reports for the workspace trains the run; the setting, when set, wins; and the
// problem's "Choose Python interpreter" opens that extension's own picker, whose choice Model Lab
// hears about at once (the problem goes without touching the file).
// The interpreters are environment folders in the workspace (bin/python, as a venv has), made here:
// scripts that log their arguments, then run a real Python.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const workspace = process.env.E2E_WORKSPACE;
const EPOCHS = 10;
const TORCH_ENV = 'torch-env';
const PLAIN_ENV = 'plain-env'; // runs Python without its site-packages, so torch cannot be imported

/** An environment folder whose bin/python logs each call's arguments to calls.log, then runs `python`. */
function environment(name, python, pythonFlags = '') {
  const dir = path.join(workspace, name);
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'bin', 'python'),
    `#!/bin/sh\nprintf '%s\\n' "$*" >> '${path.join(dir, 'calls.log')}'\nexec '${python}' ${pythonFlags} "$@"\n`, { mode: 0o755 });
  return dir;
}

/** Lines of calls.log that started the runner (`python -m modellab_torch`): training runs, not the torch check. */
const runnerCalls = (dir) => (fs.existsSync(path.join(dir, 'calls.log')) ? fs.readFileSync(path.join(dir, 'calls.log'), 'utf8') : '')
  .split('\n').filter((l) => l.trim() === '-m modellab_torch').length;

function writeSettings(settings) {
  fs.mkdirSync(path.join(workspace, '.vscode'), { recursive: true });
  fs.writeFileSync(path.join(workspace, '.vscode', 'settings.json'), JSON.stringify(settings, null, 2));
}

function modelFile(name) {
  const text = fs.readFileSync(path.join(workspace, 'xor.model.yaml'), 'utf8')
    .replace('name: xor', `name: ${name}`).replace('epochs: 60', `epochs: ${EPOCHS}\n  engine: pytorch`);
  fs.writeFileSync(path.join(workspace, `${name}.model.yaml`), text);
  return { file: `${name}.model.yaml`, engineLine: text.split('\n').findIndex((l) => l.includes('engine: pytorch')) + 1 };
}

const markers = (frame) => h.inWebview(frame, (b) => ({ ...b.dataset }));

describe('The Python extension\'s interpreter', () => {
  const wb = h.useWorkbench({ before, after });
  let page;
  const python = h.torchPython();
  let torchEnv;
  let plainEnv;
  before(() => {
    page = wb.page;
    torchEnv = environment(TORCH_ENV, python);
    plainEnv = environment(PLAIN_ENV, python, '-S');
  });
  after(() => {
    fs.rmSync(path.join(workspace, '.vscode', 'settings.json'), { force: true });
    for (const dir of [torchEnv, plainEnv]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });
  const step = h.reportingStep(() => page);

  /** What the hover on `engine:` says about the interpreter that would train, once it matches `pattern`. */
  const engineHover = (pattern, message) => {
    const key = page.locator('.editor-group-container.active .monaco-editor .view-line').locator('span', { hasText: /^engine$/ }).first();
    return h.hoverText(page, key, pattern, { timeout: 30_000, message });
  };

  /** Trains the open file from the palette and returns the panel's markers once the run has ended. */
  async function train(name) {
    const panel = page.locator('.tabs-container .tab', { hasText: `Model Lab: ${name}` });
    const previous = (await panel.count()) ? await markers(await h.webviewFrame(page, { title: `Model Lab: ${name}` })) : {};
    await h.openFile(page, `${name}.model.yaml`);
    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: `Model Lab: ${name}`, timeout: 30_000 });
    await h.waitUntil(page, async () => {
      const m = await markers(frame);
      return m.runId !== previous.runId && ['completed', 'failed', 'stopped'].includes(m.status);
    }, { timeout: 120_000, message: `the run of ${name} ended` });
    const m = await markers(frame);
    assert.equal(m.status, 'completed', await frame.locator('#message').textContent());
    assert.equal(Number(m.epochs), EPOCHS);
    assert.match(await frame.locator('#backend').textContent(), /^pytorch \(cpu\)$/);
    return m;
  }

  test('without modelLab.pythonPath, the Python extension\'s interpreter trains; with it, the setting wins', { timeout: 300_000 }, step('python-extension-interpreter', async (t) => {
    const { file } = modelFile('xor-interp');
    // The environment folder the extension reports is resolved to its interpreter (resolveEnvironment).
    writeSettings({ 'python.defaultInterpreterPath': torchEnv });
    await h.openFile(page, file);
    const shown = await engineHover(new RegExp(`Trains with ${h.escapeRegExp(path.join(torchEnv, 'bin', 'python'))} \\(from python extension\\)`),
      'the hover names the Python extension\'s interpreter');
    t.diagnostic(`hover: ${shown.slice(0, 200)}`);
    await page.keyboard.press('Escape');
    await train('xor-interp');
    assert.equal(runnerCalls(torchEnv), 1, 'the run was trained by the Python extension\'s interpreter');

    writeSettings({ 'python.defaultInterpreterPath': torchEnv, 'modelLab.pythonPath': python });
    await h.openFile(page, file);
    await engineHover(new RegExp(`Trains with ${h.escapeRegExp(python)} \\(from setting\\)`), 'the hover names modelLab.pythonPath');
    await page.keyboard.press('Escape');
    await train('xor-interp');
    assert.equal(runnerCalls(torchEnv), 1, 'with modelLab.pythonPath set, the Python extension\'s interpreter trained nothing');
  }));

  test('"Choose Python interpreter" opens the Python extension\'s picker; the interpreter picked there clears the problem', { timeout: 180_000 }, step('python-extension-picker', async () => {
    writeSettings({ 'python.defaultInterpreterPath': plainEnv });
    const { file, engineLine } = modelFile('xor-pick');
    await h.openFile(page, file);
    let rows = [];
    await h.waitUntil(page, async () => {
      rows = await h.problems(page);
      return rows.find((r) => r.text.includes(`${path.join(plainEnv, 'bin', 'python')}' cannot import torch`) && r.text.includes(`[Ln ${engineLine},`));
    }, { timeout: 30_000, message: `the no-torch problem on line ${engineLine}: ${JSON.stringify(rows.slice(0, 5))}` });

    await h.openFile(page, file);
    await h.goToLine(page, engineLine, 12);
    await page.keyboard.press('Control+.');
    // The fix is the preferred one, focused in the menu: Enter takes it, as a user would.
    const fix = page.locator('.action-widget .monaco-list-row.focused', { hasText: /^Choose Python interpreter$/ });
    await fix.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    // python.setInterpreter ran: its picker is on screen, listing the workspace's environments.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: 'Select Interpreter' }).waitFor({ state: 'visible', timeout: 15_000 });
    await page.locator('.quick-input-widget .quick-input-box input').fill(TORCH_ENV);
    const row = page.locator('.quick-input-list .monaco-list-row.focused', { hasText: TORCH_ENV });
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');

    await h.waitUntil(page, async () => !(await h.problemsText(page)).some((t) => t.includes('cannot import torch')),
      { timeout: 30_000, message: 'the problem goes once the Python extension\'s picked interpreter has torch' });
    await h.openFile(page, file);
    await engineHover(new RegExp(`Trains with ${h.escapeRegExp(path.join(torchEnv, 'bin', 'python'))} \\(from python extension\\)`),
      'the hover names the interpreter picked in the Python extension');
    await page.keyboard.press('Escape');
  }));
});
