// A PyTorch run over several machines in the real editor, while it waits for the others: the
// training panel and the status bar say so, the panel shows the command that joins a machine as
// text, and Stop ends the run "stopped" with no runner or torchrun left behind. The second machine
// never comes (test/slow/pytorchNodes.test.ts trains with one joining over loopback).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as h from './harness.mjs';

const workspace = process.env.E2E_WORKSPACE;
const NAME = 'xor-machines';

/**
 * PyTorch processes this code-server started (they inherit its XDG_CONFIG_HOME, which is in the
 * suite's own state folder): the runner, or torchrun waiting at the rendezvous. Other runs on the
 * machine are not counted.
 */
function pytorchProcesses() {
  const ours = `XDG_CONFIG_HOME=${path.join(process.env.E2E_STATE_DIR, 'xdg-config')}`;
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (!cmd.some((a) => a === 'modellab_torch' || a === 'torch.distributed.run')) continue;
      if (fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(ours)) found.push(`${pid} ${cmd.join(' ').trim()}`);
    } catch { /* gone meanwhile, or not ours to read */ }
  }
  return found;
}

describe('A run over two machines, waiting for the second', () => {
  const wb = h.useWorkbench({ before, after });
  let page;
  let port;
  const file = path.join(workspace, `${NAME}.model.yaml`);
  before(async () => {
    page = wb.page;
    port = await h.freePort();
    const text = fs.readFileSync(path.join(workspace, 'xor.model.yaml'), 'utf8').replace('name: xor', `name: ${NAME}`)
      .replace('epochs: 60', `epochs: 5\n  engine: pytorch\n  nodes: 2\n  rendezvous: 127.0.0.1:${port}`);
    fs.writeFileSync(file, text);
  });
  // A failed assertion must not leave torchrun waiting for the rest of the suite.
  after(() => {
    for (const pid of pytorchProcesses().map((l) => Number(l.split(' ')[0]))) {
      try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
    }
  });
  const step = h.reportingStep(() => page);

  test('the panel and the status bar say it waits and show the join command; Stop ends it with nothing left', { timeout: 180_000 }, step('pytorch-machines', async () => {
    // The run trains with the Python extension's interpreter (run.mjs gives it one with torch).
    await h.openFile(page, `${NAME}.model.yaml`);
    await h.runCommand(page, 'Model Lab: Train Model');
    const frame = await h.webviewFrame(page, { title: `Model Lab: ${NAME}`, timeout: 30_000 });
    const joinText = `Waiting for 1 more machine to join at 127.0.0.1:${port} (up to 600 s). `
      + `On each, in the project's folder, run: model-lab train ${file} --engine pytorch --join`;
    await h.waitUntil(page, async () => (await frame.locator('#message').textContent()) === joinText,
      { timeout: 60_000, message: `the panel's message: ${joinText}` });
    assert.equal(await frame.locator('#run-status').textContent(), 'waiting for machines…');
    assert.equal(await h.inWebview(frame, (b) => b.dataset.status), 'starting');
    // Text, not markup: the message is one text node.
    assert.deepEqual(await frame.locator('#message').evaluate((el) => [...el.childNodes].map((n) => n.nodeType)), [3]);

    const item = page.locator('.part.statusbar .statusbar-item', { hasText: `${NAME} · waiting for machines` });
    await h.waitUntil(page, () => item.isVisible(), { timeout: 15_000, message: `the status bar item "${NAME} · waiting for machines"` });
    // Its tooltip has the join command too.
    const shown = await h.hoverText(page, item, /--engine pytorch --join/, { message: 'the status bar item\'s tooltip with the join command' });
    assert.ok(shown.includes(joinText), shown);
    await page.mouse.move(0, 0);

    // torchrun is up, waiting at the rendezvous this machine hosts: the check below can see it.
    await h.waitUntil(page, () => pytorchProcesses().some((p) => p.includes(`127.0.0.1:${port}`)),
      { timeout: 30_000, message: `torchrun waiting at 127.0.0.1:${port}` });
    await frame.locator('#stop').click();
    await h.waitUntil(page, async () => ['completed', 'failed', 'stopped'].includes(await h.inWebview(frame, (b) => b.dataset.status)),
      { timeout: 15_000, message: 'the run ended after Stop' });
    assert.equal(await h.inWebview(frame, (b) => b.dataset.status), 'stopped', await frame.locator('#message').textContent());
    assert.equal(await frame.locator('#run-status').textContent(), 'stopped');
    assert.ok(!(await frame.locator('#message').textContent()).includes('--join'), 'the join command goes once the run has ended');
    await h.waitUntil(page, () => pytorchProcesses().length === 0, { timeout: 6000, message: 'no runner or torchrun left' })
      .catch((err) => { throw new Error(`${err.message}: ${pytorchProcesses().join('\n')}`); });
    await h.waitUntil(page, async () => (await h.statusBarTexts(page)).some((t) => t.includes(`${NAME} · stopped`)),
      { timeout: 10_000, message: 'the status bar says stopped' });
  }));
});
