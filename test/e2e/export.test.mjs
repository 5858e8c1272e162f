// Export in a real VS Code: a recorded run to a TensorBoard event file (picked in a quick pick), and
// the open model file as a Keras script in a new Python editor beside it.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

/** A finished run record as the extension writes it (export reads only the record). */
async function writeRecord(workspace, name) {
  const dir = path.join(workspace, '.modellab', 'runs', `20200202-100000-${name}`);
  await fsp.mkdir(dir, { recursive: true });
  await fsp.writeFile(path.join(dir, 'run.json'), JSON.stringify({ id: name, name, modelFile: '', startedAt: '2020-02-02T10:00:00.000Z', epochs: 2, batchSize: 32, batchesPerEpoch: 2, trainSamples: 64, valSamples: 16, backend: 'cpu', metrics: ['loss', 'accuracy'], dataset: 'xor', seed: 1, totalParams: 33 }));
  const lines = [];
  for (let e = 1; e <= 2; e++) {
    for (let b = 0; b < 2; b++) lines.push(JSON.stringify({ kind: 'batch', step: 2 * e - 1 + b, epoch: e, x: e - 1 + (b + 1) / 2, loss: 1 / (2 * e + b), learningRate: 0.05 }));
    lines.push(JSON.stringify({ kind: 'epoch', epoch: e, loss: 1 / e, accuracy: 0.5 * e, valLoss: 1.1 / e, valAccuracy: 0.45 * e, learningRate: 0.05, samplesPerSec: 100, elapsedMs: e * 1000 }));
  }
  await fsp.writeFile(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  await fsp.writeFile(path.join(dir, 'summary.json'), JSON.stringify({ status: 'completed', endedAt: '', durationMs: 2000, epochsDone: 2 }));
  return dir;
}

describe('export', () => {
  const wb = h.useWorkbench({ before, after });

  test('Export Run to TensorBoard writes the event file into the run folder', { timeout: 90_000 }, async () => {
    const page = wb.page;
    const dir = await writeRecord(wb.workspace, 'tb-export');
    try {
      // A model file open: the workbench has loaded the extension's contributions.
      await h.openFile(page, 'xor.model.yaml');
      await h.runCommand(page, 'Model Lab: Export Run to TensorBoard', { quickPick: 'Export which run to TensorBoard?' });
      const box = page.locator('.quick-input-widget .quick-input-box input');
      await box.fill('tb-export');
      await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'tb-export' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      const events = () => fs.readdirSync(dir).filter((f) => f.startsWith('events.out.tfevents.1580637600.'));
      await h.waitUntil(page, async () => events().length === 1, { timeout: 15_000, message: 'the event file in the run folder' });
      await h.waitUntil(page, async () => (await h.notifications(page)).some((n) => /Wrote events\.out\.tfevents\.\S+ in 20200202-100000-tb-export: 18 scalars, 0 histograms/.test(n)), { timeout: 10_000, message: 'the notification' });
      // 4 steps x (loss, learning rate) + 2 epochs x (loss, accuracy, val_loss, val_accuracy, learning rate) = 18 scalars;
      // 1 file-version event + 4 batch events + 2 epoch events, each a framed record.
      assert.ok(fs.statSync(path.join(dir, events()[0])).size > 7 * 16);
    } catch (err) {
      throw new Error(`${err.message}\n${await h.captureFailure(page, 'export-tensorboard')}`);
    }
  });

  test('Export as Keras Script opens the script of the model file beside it', { timeout: 90_000 }, async () => {
    const page = wb.page;
    try {
      await h.runCommand(page, 'View: Close All Editor Groups');
      await h.openFile(page, 'xor.model.yaml');
      await h.runCommand(page, 'Model Lab: Export as Keras Script');
      const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines');
      const text = async () => ((await editor.textContent()) ?? '').replace(/\u00a0/g, ' ');
      await h.waitUntil(page, async () => (await text()).includes('dense_1 = layers.Dense(units=8, activation="tanh", name="dense_1")(inputs)'), { timeout: 15_000, message: 'the Keras layer line in the new editor' });
      assert.ok((await text()).includes('dense_2 = layers.Dense(units=1, activation="sigmoid", name="dense_2")(dense_1)'));
      const tab = page.locator('.editor-group-container.active .tabs-container .tab.active');
      assert.match((await tab.textContent()) ?? '', /Untitled/);
      h.assertNoCspViolations(page);
    } catch (err) {
      throw new Error(`${err.message}\n${await h.captureFailure(page, 'export-keras')}`);
    }
  });
});
