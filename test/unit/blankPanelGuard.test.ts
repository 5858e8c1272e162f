// host/webview/blankPanelGuard.ts on a fake panel and fake timers: a page that stays blank after a move
// or a reveal is loaded again, then its panel is replaced by a new one, at most MAX_REPLACEMENTS
// times in a row; a page that says 'ready' stops it all.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { BlankPanelGuard, MAX_REPLACEMENTS } from '../../host/webview/blankPanelGuard';

function setup(replacements = 0) {
  const panel = { viewColumn: 1, visible: true, title: 'Weights: x' };
  const calls = { resend: 0, reload: 0, replace: 0, logs: [] as string[], told: [] as string[] };
  const log = { info: (m: string) => calls.logs.push(m), warn: (m: string) => calls.logs.push(`warn ${m}`) };
  const recovery = { resend: () => calls.resend++, reloadPage: () => calls.reload++, replacePanel: () => calls.replace++, gaveUp: (m: string) => calls.told.push(m) };
  const guard = new BlankPanelGuard(panel, recovery, log, replacements);
  const move = (column: number) => {
    panel.viewColumn = column;
    guard.viewStateChanged();
  };
  return { panel, calls, guard, move };
}

function withTimers(body: () => void): void {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    body();
  } finally {
    mock.timers.reset();
  }
}

test('a moved page that stays blank is loaded again after 2 s, and its panel replaced 6 s later', () => withTimers(() => {
  const { calls, move } = setup();
  move(2);
  assert.equal(calls.resend, 1, 'the snapshot goes to a page that survived the move');
  // [ms to advance, reloads, replacements by then]
  for (const [ms, reloads, replaced] of [[1999, 0, 0], [1, 1, 0], [5999, 1, 0], [1, 1, 1], [60_000, 1, 1]] as const) {
    mock.timers.tick(ms);
    assert.deepEqual([calls.reload, calls.replace], [reloads, replaced], `after ${ms} ms more`);
  }
}));

test('a replacement panel watches its first page; the last one allowed tells the user instead of replacing again', () => withTimers(() => {
  const first = setup(1);
  mock.timers.tick(2000);
  assert.equal(first.calls.reload, 1, 'a replacement that stays blank is loaded again');
  mock.timers.tick(6000);
  assert.equal(first.calls.replace, 1, 'and replaced again');

  const last = setup(MAX_REPLACEMENTS);
  mock.timers.tick(2000);
  mock.timers.tick(6000);
  assert.deepEqual([last.calls.reload, last.calls.replace], [1, 0]);
  assert.match(last.calls.logs.at(-1) ?? '', /^warn The panel "Weights: x" stayed blank, also in 2 new panels; close and reopen it/);
  assert.deepEqual(last.calls.told, [last.calls.logs.at(-1)?.replace(/^warn /, '')], 'the user is told too');
  assert.deepEqual(first.calls.told, [], 'not while a replacement may still help');
  mock.timers.tick(100_000);
  assert.deepEqual([last.calls.reload, last.calls.replace], [1, 0]);
}));

test('a page that says ready stops the recovery; a move within the same group or while hidden does nothing', () => withTimers(() => {
  const { panel, calls, guard, move } = setup();
  move(2);
  mock.timers.tick(2000);
  assert.equal(calls.reload, 1);
  guard.sawReady();
  mock.timers.tick(60_000);
  assert.deepEqual([calls.reload, calls.replace], [1, 0], 'ready after the reload: no more');

  move(2);
  assert.equal(calls.resend, 1, 'same column: not a move');
  panel.visible = false;
  move(3);
  mock.timers.tick(60_000);
  assert.equal(calls.resend, 1);
  assert.deepEqual([calls.reload, calls.replace], [1, 0], 'a hidden panel is drawn when it is shown again');

  const ready = setup(1);
  ready.guard.sawReady();
  mock.timers.tick(60_000);
  assert.deepEqual([ready.calls.reload, ready.calls.replace], [0, 0], 'a replacement whose page loads is left alone');
}));

test('a panel shown again gets a new page: loaded again if that one stays blank, left alone if it says ready', () => withTimers(() => {
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
  assert.deepEqual([calls.reload, calls.replace], [1, 0]);

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
}));

test('a panel hidden while its recovery waits is left for its next reveal', () => withTimers(() => {
  const { panel, calls, move } = setup();
  move(2);
  panel.visible = false;
  mock.timers.tick(60_000);
  assert.deepEqual([calls.reload, calls.replace], [0, 0]);
}));
