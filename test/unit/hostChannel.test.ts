// webview/shared/hostChannel.ts with a fake window and VS Code API: a page listens before it says
// 'ready', hands on only the messages its validator accepts, and (when asked to) says 'ready'
// again every second until its snapshot has come, ten times at most.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { listenToHost } from '../../webview/shared/hostChannel';

const posted: unknown[] = [];
const listeners: ((event: { data: unknown }) => void)[] = [];
const warnings: unknown[][] = [];
// The page's globals; the helper looks them up only when it is called.
Object.assign(globalThis, {
  window: { addEventListener: (type: string, l: (event: { data: unknown }) => void) => type === 'message' && listeners.push(l) },
  acquireVsCodeApi: () => ({ postMessage: (m: unknown) => posted.push(m), getState: () => undefined, setState: () => undefined }),
});

const fromHost = (data: unknown): void => listeners.forEach((l) => l({ data }));
const validate = (raw: unknown): { type: 'show'; n: number } | undefined =>
  typeof raw === 'object' && raw !== null && (raw as { type?: unknown }).type === 'show' && typeof (raw as { n?: unknown }).n === 'number' ? (raw as { type: 'show'; n: number }) : undefined;

function reset(): void {
  posted.length = 0;
  listeners.length = 0;
  warnings.length = 0;
}

test('a page listens, says ready once, and gets only valid messages', (t) => {
  reset();
  t.mock.method(console, 'warn', (...args: unknown[]) => warnings.push(args));
  const got: unknown[] = [];
  listenToHost('test page', validate, (m) => got.push(m));
  assert.equal(listeners.length, 1, 'listening before it says ready');
  assert.deepEqual(posted, [{ type: 'ready' }]);
  fromHost({ type: 'show', n: 1 });
  fromHost({ type: 'show', n: 'x' });
  fromHost('<img src=x onerror=alert(1)>');
  assert.deepEqual(got, [{ type: 'show', n: 1 }]);
  assert.equal(warnings.length, 2, 'each dropped message is noted in the console');
  assert.match(String(warnings[0]?.[0]), /Model Lab test page dropped a malformed message/);
});

test('a page that waits for its snapshot says ready every second until it comes, ten times at most', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    reset();
    let loaded = false;
    listenToHost('test page', validate, () => (loaded = true), () => loaded);
    assert.equal(posted.length, 1);
    mock.timers.tick(1000);
    mock.timers.tick(1000);
    assert.equal(posted.length, 3, 'asked again while nothing came');
    fromHost({ type: 'show', n: 2 });
    mock.timers.tick(1000);
    mock.timers.tick(5000);
    assert.equal(posted.length, 3, 'not once the snapshot came');

    reset();
    listenToHost('test page', validate, () => undefined, () => false);
    for (let i = 0; i < 30; i++) mock.timers.tick(1000);
    assert.equal(posted.length, 10, 'gives up after ten');
  } finally {
    mock.timers.reset();
  }
});
