// The one panel host (host/webview/panelLifecycle.ts and panelRegistry.ts) on fake panels: nothing
// reaches a page before it says 'ready' or while it is hidden, a page shown again gets the whole
// snapshot, malformed messages are dropped, a restored panel comes back keyed by what its page
// saved, and a page that stays blank gets its controller moved into a new panel.
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import type { PanelController, PanelSurface, PanelLifecycle } from '../../host/webview/panelLifecycle';
import { PanelRegistry, type PanelFactory } from '../../host/webview/panelRegistry';
import { MAX_REPLACEMENTS } from '../../host/webview/blankPanelGuard';

type In = { type: 'ready' } | { type: 'bump'; by: number };
type Out = { type: 'snapshot'; count: number } | { type: 'tick'; count: number };

/** A webview panel: records what is posted and loaded; `page` plays its page. */
class FakePanel implements PanelSurface {
  visible = true;
  viewColumn: number | undefined = 1;
  title: string;
  posted: unknown[] = [];
  loads: string[] = [];
  revealed = 0;
  disposed = false;
  private readonly listeners = { message: new Set<(raw: unknown) => void>(), state: new Set<() => void>(), dispose: new Set<() => void>() };

  constructor(title: string) {
    this.title = title;
  }

  post(message: unknown): void {
    if (this.disposed) throw new Error('posted to a disposed panel');
    this.posted.push(message);
  }
  loadPage(page: string): void {
    this.loads.push(page);
  }
  reveal(): void {
    this.revealed++;
  }
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const l of [...this.listeners.dispose]) l();
  }
  private on<T>(set: Set<T>, listener: T): { dispose(): void } {
    set.add(listener);
    return { dispose: () => set.delete(listener) };
  }
  onMessage(listener: (raw: unknown) => void) {
    return this.on(this.listeners.message, listener);
  }
  onViewStateChange(listener: () => void) {
    return this.on(this.listeners.state, listener);
  }
  onDispose(listener: () => void) {
    return this.on(this.listeners.dispose, listener);
  }
  /** The page sends a message. */
  page(raw: unknown): void {
    for (const l of [...this.listeners.message]) l(raw);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const l of [...this.listeners.state]) l();
  }
  moveTo(column: number): void {
    this.viewColumn = column;
    for (const l of [...this.listeners.state]) l();
  }
  listenerCount(): number {
    return this.listeners.message.size + this.listeners.state.size + this.listeners.dispose.size;
  }
}

class Counter implements PanelController<In, Out> {
  readonly page = 'training' as const;
  readonly label = 'the counter panel';
  count = 0;
  disposed = 0;
  constructor(readonly panel: PanelLifecycle<In, Out>) {}
  snapshot(): Out {
    return { type: 'snapshot', count: this.count };
  }
  handle(message: Exclude<In, { type: 'ready' }>): void {
    this.count += message.by;
    this.panel.post({ type: 'tick', count: this.count });
  }
  dispose(): void {
    this.disposed++;
  }
}

const validate = (raw: unknown): In | undefined => {
  const m = raw as { type?: unknown; by?: unknown } | null;
  if (m?.type === 'ready') return { type: 'ready' };
  if (m?.type === 'bump' && typeof m.by === 'number') return { type: 'bump', by: m.by };
  return undefined;
};

function setup(restoreState?: (state: unknown) => { key: string; count: number } | undefined) {
  const created: FakePanel[] = [];
  const warnings: string[] = [];
  const logs: string[] = [];
  const factory: PanelFactory = {
    create: (title) => {
      const p = new FakePanel(title);
      created.push(p);
      return p;
    },
    replacement: (old) => {
      const p = new FakePanel(old.title);
      p.viewColumn = old.viewColumn;
      created.push(p);
      return p;
    },
    warn: (m) => warnings.push(m),
  };
  const registry = new PanelRegistry<string, In, Out, Counter>({
    validate,
    restore: (state) => {
      const r = restoreState?.(state);
      return r && { key: r.key, make: (panel) => Object.assign(new Counter(panel), { count: r.count }) };
    },
  }, factory, { info: (m) => logs.push(m), warn: (m) => logs.push(`warn ${m}`) });
  const open = (key: string) => registry.open(key, `Counter ${key}`, { column: -2, preserveFocus: true }, (panel) => new Counter(panel));
  return { registry, created, warnings, logs, open };
}

test('nothing is posted before the page says ready; then the snapshot, then increments', () => {
  const { created, open } = setup();
  const { controller } = open('a');
  const panel = created[0] as FakePanel;
  assert.deepEqual(panel.loads, ['training'], 'the page is loaded into the new panel');
  controller.panel.post({ type: 'tick', count: 1 });
  controller.panel.refresh();
  assert.deepEqual(panel.posted, [], 'not before ready');
  panel.page({ type: 'ready' });
  assert.deepEqual(panel.posted, [{ type: 'snapshot', count: 0 }]);
  panel.page({ type: 'bump', by: 2 });
  assert.equal(controller.count, 2, 'other messages go to the controller');
  assert.deepEqual(panel.posted.at(-1), { type: 'tick', count: 2 });
});

test('a hidden panel gets nothing; shown again, its new page gets the whole snapshot', () => {
  const { created, open } = setup();
  const { controller } = open('a');
  const panel = created[0] as FakePanel;
  panel.page({ type: 'ready' });
  panel.setVisible(false);
  controller.count = 5;
  controller.panel.post({ type: 'tick', count: 5 });
  controller.panel.refresh();
  assert.equal(panel.posted.length, 1, 'nothing while hidden');
  panel.setVisible(true);
  controller.panel.post({ type: 'tick', count: 6 });
  assert.equal(panel.posted.length, 1, 'the page shown again is new: nothing until it says ready');
  panel.page({ type: 'ready' });
  assert.deepEqual(panel.posted.at(-1), { type: 'snapshot', count: 5 }, 'the history is the host\'s: the new page gets all of it');
});

test('malformed messages are dropped and logged once; the panel goes on', () => {
  const { created, logs, open } = setup();
  const { controller } = open('a');
  const panel = created[0] as FakePanel;
  panel.page({ type: 'ready' });
  for (const bad of [{ type: 'bump', by: 'x' }, 'ready', null, { type: 'stop' }]) panel.page(bad);
  assert.equal(controller.count, 0);
  assert.equal(panel.posted.length, 1, 'no answer to garbage');
  const warned = logs.filter((l) => l.startsWith('warn Dropped a malformed message from the counter panel'));
  assert.deepEqual(warned, ['warn Dropped a malformed message from the counter panel: {"type":"bump","by":"x"}']);
  panel.page({ type: 'bump', by: 1 });
  assert.equal(controller.count, 1);
});

test('open finds the panel by its key: revealed, not created twice; closing it disposes its controller', () => {
  const { registry, created, open } = setup();
  const first = open('a');
  const again = open('a');
  assert.equal(first.created, true);
  assert.equal(again.created, false);
  assert.equal(again.controller, first.controller);
  assert.equal(created.length, 1);
  assert.equal((created[0] as FakePanel).revealed, 1);
  open('b');
  assert.equal(registry.size, 2);
  (created[0] as FakePanel).dispose();
  assert.equal(registry.get('a'), undefined);
  assert.equal(first.controller.disposed, 1);
  assert.equal((created[0] as FakePanel).listenerCount(), 0, 'a closed panel is not listened to');
  registry.closeAll();
  assert.equal(registry.size, 0);
  assert.ok(created.every((p) => p.disposed));
});

test('restore after a reload: the panel comes back from its saved state, keyed by it; nothing to show closes it', async () => {
  const { registry, open } = setup((state) => {
    const s = state as { key?: unknown; count?: unknown } | undefined;
    return typeof s?.key === 'string' && typeof s.count === 'number' ? { key: s.key, count: s.count } : undefined;
  });
  const restored = new FakePanel('Counter a');
  await registry.restore(restored, { key: 'a', count: 7 });
  assert.deepEqual(restored.loads, ['training'], 'the restored panel gets its page');
  restored.page({ type: 'ready' });
  assert.deepEqual(restored.posted, [{ type: 'snapshot', count: 7 }]);
  assert.equal(open('a').created, false, 'a command finds the restored panel');
  assert.equal(restored.revealed, 1);

  const gone = new FakePanel('Counter b');
  await registry.restore(gone, { key: 'b' });
  assert.ok(gone.disposed, 'a panel with nothing left to show is closed');
  const twice = new FakePanel('Counter a');
  await registry.restore(twice, { key: 'a', count: 1 });
  assert.ok(twice.disposed, 'a panel already open again is not restored twice');
  assert.equal(registry.get('a')?.count, 7);
});

test('a page that stays blank after a move is reloaded, then its controller moves into a new panel', () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const { registry, created, warnings, open } = setup();
    const { controller } = open('a');
    const first = created[0] as FakePanel;
    first.page({ type: 'ready' });
    controller.count = 3;
    first.moveTo(2);
    assert.deepEqual(first.posted.at(-1), { type: 'snapshot', count: 3 }, 'a page that survived the move gets the snapshot');
    mock.timers.tick(2000);
    assert.deepEqual(first.loads, ['training', 'training'], 'loaded again after 2 s');
    mock.timers.tick(6000);
    const second = created[1] as FakePanel;
    assert.ok(second, 'a new panel after 6 s more');
    assert.ok(first.disposed, 'the blank one is closed');
    assert.equal(second.viewColumn, 2, 'in the same group');
    assert.equal(second.title, 'Counter a');
    assert.equal(registry.get('a'), controller, 'the same controller, found by the same key');
    assert.equal(controller.disposed, 0, 'and not disposed with the old panel');
    assert.deepEqual(second.loads, ['training']);
    second.page({ type: 'ready' });
    assert.deepEqual(second.posted, [{ type: 'snapshot', count: 3 }]);
    first.page({ type: 'bump', by: 1 });
    assert.equal(controller.count, 3, 'the old panel is no longer listened to');

    // Replacements that stay blank too: MAX_REPLACEMENTS in a row, then the user is told.
    const stuck = open('b');
    for (let i = 0; i <= MAX_REPLACEMENTS; i++) {
      const panel = created.at(-1) as FakePanel;
      if (i === 0) panel.moveTo(3);
      mock.timers.tick(2000);
      mock.timers.tick(6000);
    }
    assert.equal(created.length, 3 + MAX_REPLACEMENTS);
    assert.equal(registry.get('b'), stuck.controller);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /stayed blank/);
  } finally {
    mock.timers.reset();
  }
});
