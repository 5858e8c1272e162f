// extension/movedPanelGuard.ts on a fake panel and fake timers: a page that stays blank after a move
// is loaded again, and again with longer waits, until it says 'ready' or the guard gives up.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { MovedPanelGuard } from '../../extension/movedPanelGuard';

function setup() {
  const panel = { viewColumn: 1, visible: true, title: 'Weights: x' };
  const calls = { resend: 0, reload: 0, logs: [] as string[] };
  const log = { info: (m: string) => calls.logs.push(m), warn: (m: string) => calls.logs.push(`warn ${m}`) };
  const guard = new MovedPanelGuard(panel as unknown as vscode.WebviewPanel, () => calls.resend++, () => calls.reload++, log);
  const move = (column: number) => {
    panel.viewColumn = column;
    guard.viewStateChanged();
  };
  return { panel, calls, guard, move };
}

test('a page that stays blank is loaded again after 2, 4, 8 and 16 more seconds, then the user is told', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { calls, move } = setup();
    move(2);
    assert.equal(calls.resend, 1, 'the snapshot goes to a page that survived the move');
    // [ms to advance, reloads by then]: 2 s, then 4, 8 and 16 s more, then no more.
    for (const [ms, reloads] of [[1999, 0], [1, 1], [4000, 2], [8000, 3], [16000, 4], [32000, 4]] as const) {
      mock.timers.tick(ms);
      assert.equal(calls.reload, reloads, `after ${ms} ms more`);
    }
    assert.match(calls.logs.at(-1) ?? '', /^warn The panel "Weights: x" stayed blank .* close and reopen it/);
    mock.timers.tick(100_000);
    assert.equal(calls.reload, 4);
  } finally {
    mock.timers.reset();
  }
});

test('a page that says ready stops the reloads; a move within the same group or while hidden does nothing', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { panel, calls, guard, move } = setup();
    move(2);
    mock.timers.tick(2000);
    assert.equal(calls.reload, 1);
    guard.sawReady();
    mock.timers.tick(60_000);
    assert.equal(calls.reload, 1, 'ready after the first reload: no more');

    move(2);
    assert.equal(calls.resend, 1, 'same column: not a move');
    panel.visible = false;
    move(3);
    mock.timers.tick(60_000);
    assert.equal(calls.resend, 1);
    assert.equal(calls.reload, 1, 'a hidden panel is drawn when it is shown again');
  } finally {
    mock.timers.reset();
  }
});

test('a panel shown again gets a new page: loaded again if that one stays blank, left alone if it says ready', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { panel, calls, guard } = setup();
    panel.visible = false;
    guard.viewStateChanged();
    panel.visible = true;
    guard.viewStateChanged();
    assert.equal(calls.resend, 0, 'a new page asks for its snapshot itself');
    mock.timers.tick(2000);
    assert.equal(calls.reload, 1, 'blank two seconds after it was shown');
    guard.sawReady();
    mock.timers.tick(60_000);
    assert.equal(calls.reload, 1);

    panel.visible = false;
    guard.viewStateChanged();
    panel.visible = true;
    guard.viewStateChanged();
    guard.sawReady();
    mock.timers.tick(60_000);
    assert.equal(calls.reload, 1, 'a page that loads is not loaded again');
    guard.viewStateChanged();
    mock.timers.tick(60_000);
    assert.equal(calls.reload, 1, 'a view-state change with nothing moved or shown does nothing');
  } finally {
    mock.timers.reset();
  }
});
