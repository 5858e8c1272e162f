import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Channel, ChannelError, eventPort, pagePort, type ChannelOptions, type ChannelPort } from '../../protocol/channel';
import { EventEmitter } from 'node:events';

// A toy boundary: the asker sends 'ask' (a number), the answerer replies 'answer' (its double) or 'note'.
type Ask = { type: 'ask'; n: number } | { type: 'hello' };
type Answer = { type: 'answer'; n: number } | { type: 'note'; text: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const asAsk = (v: unknown): Ask | undefined =>
  isObject(v) && ((v.type === 'ask' && typeof v.n === 'number') || v.type === 'hello') ? (v as Ask) : undefined;
const asAnswer = (v: unknown): Answer | undefined =>
  isObject(v) && ((v.type === 'answer' && typeof v.n === 'number') || (v.type === 'note' && typeof v.text === 'string')) ? (v as Answer) : undefined;

/** Two ports joined like a worker and its parent: delivery is asynchronous, as postMessage is. */
function pair(): { a: ChannelPort & { sent: unknown[] }; b: ChannelPort & { sent: unknown[] }; deliverToA(raw: unknown): void } {
  const listeners: { a: ((raw: unknown) => void)[]; b: ((raw: unknown) => void)[] } = { a: [], b: [] };
  const port = (self: 'a' | 'b', other: 'a' | 'b') => {
    const sent: unknown[] = [];
    return {
      sent,
      post: (m: unknown) => {
        sent.push(m);
        const copy = structuredClone(m);
        setImmediate(() => listeners[other].forEach((l) => l(copy)));
      },
      onMessage: (l: (raw: unknown) => void) => {
        listeners[self].push(l);
        return { dispose: () => { listeners[self] = listeners[self].filter((x) => x !== l); } };
      },
    };
  };
  return { a: port('a', 'b'), b: port('b', 'a'), deliverToA: (raw) => listeners.a.forEach((l) => l(raw)) };
}

const tick = () => new Promise((r) => setImmediate(r));

/** An asker and an answerer on the two ends of a pair, each with its own options. */
function joined(options: { asker?: ChannelOptions; answerer?: ChannelOptions } = {}) {
  const ports = pair();
  const asker = new Channel<Answer, Ask>(ports.a, asAnswer, options.asker);
  const answerer = new Channel<Ask, Answer>(ports.b, asAsk, options.answerer);
  return { ...ports, asker, answerer, dispose: () => [asker, answerer].forEach((c) => c.dispose()) };
}

/** Options that keep each malformed message's reason in `bad`. */
const reportingTo = (bad: string[]): ChannelOptions => ({ onMalformed: (_raw, why) => bad.push(why) });

test('channel: valid messages reach the listener, malformed ones go to onMalformed and are dropped', async () => {
  const bad: string[] = [];
  const { a, asker, answerer, dispose } = joined({ answerer: reportingTo(bad) });
  const got: Ask[] = [];
  answerer.onMessage((m) => got.push(m));
  asker.post({ type: 'ask', n: 2 });
  a.post({ type: 'ask', n: '2' });
  a.post({ type: 'eval', code: 'x' });
  a.post(null);
  a.post({ channel: 'request', id: -1, message: { type: 'hello' } });
  await tick();
  assert.deepEqual(got, [{ type: 'ask', n: 2 }]);
  assert.equal(bad.length, 4, bad.join('\n'));
  assert.match(bad[0] as string, /not a valid message.*"n":"2"/);
  assert.match(bad[3] as string, /broken envelope/);
  dispose();
});

test('channel: request/reply pairs answers by id, even out of order', async () => {
  const { a, asker, answerer, dispose } = joined();
  const plain: Answer[] = [];
  asker.onMessage((m) => plain.push(m));
  answerer.onRequest(async (m) => {
    if (m.type !== 'ask') throw new Error('only asks');
    // The first request is answered last.
    await new Promise((r) => setTimeout(r, m.n === 1 ? 20 : 1));
    return { type: 'answer', n: m.n * 2 };
  });
  const [one, two] = await Promise.all([asker.request({ type: 'ask', n: 1 }, 'answer'), asker.request({ type: 'ask', n: 5 }, 'answer')]);
  assert.deepEqual(one, { type: 'answer', n: 2 });
  assert.deepEqual(two, { type: 'answer', n: 10 });
  assert.deepEqual(plain, [], 'replies do not reach the plain listeners');
  const ids = a.sent.map((m) => (m as { id: number }).id);
  assert.equal(new Set(ids).size, 2, 'each request has its own id');
  dispose();
});

test('channel: an error the handler throws rejects the request with it', async () => {
  const { asker, answerer } = joined();
  answerer.onRequest((m) => {
    if (m.type === 'hello') throw new Error('no greetings here');
    return { type: 'answer', n: m.n };
  });
  await assert.rejects(asker.request({ type: 'hello' }, 'answer'), (e: unknown) => e instanceof ChannelError && e.kind === 'remote' && e.message === 'no greetings here');
  // A side with no handler says so rather than leaving the requester to time out.
  const { asker: lonely, answerer: deaf } = joined();
  await assert.rejects(lonely.request({ type: 'ask', n: 1 }, 'answer'), /Nothing here answers 'ask'/);
  // A malformed request is refused with an error, and reported on the answering side.
  const bad: string[] = [];
  const { a: a3, b: b3 } = pair();
  const strict = new Channel<Ask, Answer>(b3, asAsk, reportingTo(bad));
  strict.onRequest(() => ({ type: 'answer', n: 0 }));
  const raw = new Channel<Answer, { type: 'ask'; n: string }>(a3, asAnswer);
  await assert.rejects(raw.request({ type: 'ask', n: 'x' }, 'answer'), /not a valid message/);
  assert.equal(bad.length, 1);
  for (const c of [asker, answerer, lonely, deaf, strict, raw]) c.dispose();
});

test('channel: a reply of the wrong type, or a malformed one, rejects the request', async () => {
  const bad: string[] = [];
  const { asker, answerer, dispose } = joined({ asker: reportingTo(bad) });
  answerer.onRequest(() => ({ type: 'note', text: 'hi' }));
  await assert.rejects(asker.request({ type: 'ask', n: 1 }, 'answer'), (e: unknown) => e instanceof ChannelError && e.kind === 'malformed' && /Expected a 'answer' reply, got 'note'/.test(e.message));
  answerer.onRequest(() => ({ type: 'answer', n: 'not a number' } as unknown as Answer));
  await assert.rejects(asker.request({ type: 'ask', n: 1 }, 'answer'), (e: unknown) => e instanceof ChannelError && e.kind === 'malformed');
  assert.equal(bad.length, 1);
  assert.match(bad[0] as string, /reply that is not a valid message/);
  dispose();
});

test('channel: a request with no reply times out, and a late reply is then ignored', async () => {
  const bad: string[] = [];
  const { asker, answerer } = joined({ asker: reportingTo(bad) });
  answerer.onRequest(() => new Promise((r) => setTimeout(() => r({ type: 'answer', n: 1 }), 60)));
  const started = Date.now();
  await assert.rejects(asker.request({ type: 'ask', n: 1 }, 'answer', 20), (e: unknown) => e instanceof ChannelError && e.kind === 'timeout' && /within 0.02 s/.test(e.message));
  assert.ok(Date.now() - started < 55, 'rejected at the timeout, not when the reply came');
  await new Promise((r) => setTimeout(r, 80));
  assert.deepEqual(bad, [], 'a late reply is not malformed');
  // The default timeout comes from the options.
  const quick = new Channel<Answer, Ask>(pair().a, asAnswer, { timeoutMs: 5 });
  await assert.rejects(quick.request({ type: 'hello' }, 'answer'), (e: unknown) => e instanceof ChannelError && e.kind === 'timeout');
  for (const c of [asker, answerer, quick]) c.dispose();
});

test('channel: dispose rejects pending requests, stops listening and drops posts', async () => {
  const { a, deliverToA, asker, answerer } = joined();
  answerer.onRequest(() => new Promise(() => undefined));
  const got: Answer[] = [];
  asker.onMessage((m) => got.push(m));
  const first = asker.request({ type: 'ask', n: 1 }, 'answer', 10_000);
  const second = asker.request({ type: 'hello' }, 'answer', 10_000);
  asker.dispose();
  for (const p of [first, second]) await assert.rejects(p, (e: unknown) => e instanceof ChannelError && e.kind === 'disposed');
  deliverToA({ type: 'note', text: 'after' });
  assert.deepEqual(got, [], 'nothing arrives after dispose');
  const sent = a.sent.length;
  asker.post({ type: 'hello' });
  assert.equal(a.sent.length, sent, 'posting after dispose is a no-op');
  await assert.rejects(asker.request({ type: 'hello' }, 'answer'), /closed/);
  answerer.dispose();
});

test('channel: eventPort joins a Node-style emitter and unregisters on dispose', async () => {
  const emitter = Object.assign(new EventEmitter(), { posted: [] as unknown[], postMessage(m: unknown) { this.posted.push(m); } });
  const channel = new Channel<Answer, Ask>(eventPort(emitter), asAnswer);
  const got: Answer[] = [];
  channel.onMessage((m) => got.push(m));
  emitter.emit('message', { type: 'note', text: 'x' });
  channel.post({ type: 'hello' });
  assert.deepEqual(got, [{ type: 'note', text: 'x' }]);
  assert.deepEqual(emitter.posted, [{ type: 'hello' }]);
  channel.dispose();
  assert.equal(emitter.listenerCount('message'), 0);
});

test('channel: pagePort posts through the page API and hears the window until disposed', () => {
  const target = new EventTarget();
  const posted: unknown[] = [];
  const page = {
    addEventListener: (type: 'message', l: (e: { data: unknown }) => void) => target.addEventListener(type, l as unknown as EventListener),
    removeEventListener: (type: 'message', l: (e: { data: unknown }) => void) => target.removeEventListener(type, l as unknown as EventListener),
  };
  const channel = new Channel<Answer, Ask>(pagePort({ postMessage: (m) => posted.push(m) }, page), asAnswer);
  const got: Answer[] = [];
  channel.onMessage((m) => got.push(m));
  target.dispatchEvent(new MessageEvent('message', { data: { type: 'answer', n: 3 } }));
  channel.post({ type: 'ask', n: 1 });
  channel.dispose();
  target.dispatchEvent(new MessageEvent('message', { data: { type: 'answer', n: 4 } }));
  assert.deepEqual(got, [{ type: 'answer', n: 3 }]);
  assert.deepEqual(posted, [{ type: 'ask', n: 1 }]);
});
