// A typed channel over one side of a boundary. Every message that arrives is checked by the
// boundary's guard (protocol/<boundary>.ts) before anyone sees it: a malformed one goes to
// onMalformed and is dropped. Posting is typed. Where a side waits for an answer it sends a request
// and gets a promise: the request and its reply travel in an envelope ({ channel, id, ... }) that
// carries a correlation id, so answers never need to be matched up by hand. Plain messages travel
// as they are, so a side that does not use a channel still understands them; no boundary message may
// have a top-level `channel` field. Pure TypeScript (no Node, no DOM), like everything in protocol/.

/** One side of a transport: a worker, a worker's parent port, a webview, a page's window. */
export interface ChannelPort {
  post(message: unknown): void;
  /** Registers the listener for raw incoming messages; what it returns (if anything) unregisters it. */
  onMessage(listener: (raw: unknown) => void): { dispose(): void } | void;
}

/** A boundary's guard: the message as its type promises, or undefined when it is not one. */
export type Accept<T> = (raw: unknown) => T | undefined;

export interface ChannelOptions {
  /** A message that failed the guard (or a broken envelope); it is dropped after this. */
  onMalformed?: (raw: unknown, why: string) => void;
  /** How long request() waits for its reply unless told otherwise (default 30 s). */
  timeoutMs?: number;
}

export type ChannelErrorKind = 'timeout' | 'remote' | 'disposed' | 'malformed';

/** Why a request got no reply: it timed out, the other side answered with an error, the channel
 *  was disposed first, or the reply was not a valid message of the boundary. */
export class ChannelError extends Error {
  constructor(readonly kind: ChannelErrorKind, message: string) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** The wire form of a request and its reply. `id` is the requester's, unique among its requests. */
export type Envelope =
  | { channel: 'request'; id: number; message: unknown }
  | { channel: 'reply'; id: number; message: unknown }
  | { channel: 'reply'; id: number; error: string };

interface Pending {
  resolve(message: unknown): void;
  reject(error: ChannelError): void;
  replyType: string;
  timer: ReturnType<typeof setTimeout>;
}

type Typed = { type: string };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v > 0;
const brief = (raw: unknown): string => {
  try {
    return String(JSON.stringify(raw)).slice(0, 200);
  } catch {
    return String(raw).slice(0, 200);
  }
};

/** `In`: what this side receives (checked by `accept`); `Out`: what it sends. */
export class Channel<In extends Typed, Out extends Typed> {
  private readonly listeners = new Set<(message: In) => void>();
  private readonly pending = new Map<number, Pending>();
  private handler: ((message: In) => Out | Promise<Out>) | undefined;
  private readonly subscription: { dispose(): void } | void;
  private nextId = 1;
  private disposed = false;

  constructor(private readonly port: ChannelPort, private readonly accept: Accept<In>, private readonly options: ChannelOptions = {}) {
    this.subscription = port.onMessage((raw) => this.receive(raw));
  }

  /** Sends a plain message. Dropped once the channel is disposed (the other side may be gone). */
  post(message: Out): void {
    if (!this.disposed) this.port.post(message);
  }

  /** Every valid plain message (requests go to onRequest, replies to their request()). */
  onMessage(listener: (message: In) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Answers requests: the handler's message is the reply, what it throws or rejects with the error. */
  onRequest(handler: (message: In) => Out | Promise<Out>): { dispose(): void } {
    this.handler = handler;
    return { dispose: () => { if (this.handler === handler) this.handler = undefined; } };
  }

  /** Sends `message` as a request and waits for a reply of type `replyType`. */
  request<T extends In['type']>(message: Out, replyType: T, timeoutMs = this.options.timeoutMs ?? 30_000): Promise<Extract<In, { type: T }>> {
    if (this.disposed) return Promise.reject(new ChannelError('disposed', 'The channel is closed.'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ChannelError('timeout', `No reply to '${message.type}' within ${timeoutMs / 1000} s.`));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (m: unknown) => void, reject, replyType, timer });
      const envelope: Envelope = { channel: 'request', id, message };
      this.port.post(envelope);
    });
  }

  /** Stops listening; every request still waiting is rejected. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.subscription?.dispose();
    this.listeners.clear();
    this.handler = undefined;
    const waiting = [...this.pending.values()];
    this.pending.clear();
    for (const p of waiting) {
      clearTimeout(p.timer);
      p.reject(new ChannelError('disposed', 'The channel closed before the reply came.'));
    }
  }

  private receive(raw: unknown): void {
    if (this.disposed) return;
    if (isObject(raw) && raw.channel !== undefined) return this.receiveEnvelope(raw);
    const message = this.accept(raw);
    if (!message) return this.malformed(raw, 'not a valid message');
    for (const listener of [...this.listeners]) listener(message);
  }

  private receiveEnvelope(raw: Record<string, unknown>): void {
    const { channel, id } = raw;
    if (!isId(id) || (channel !== 'request' && channel !== 'reply')) return this.malformed(raw, 'a broken envelope');
    if (channel === 'request') return this.answer(id, raw.message);
    const waiting = this.pending.get(id);
    // A reply nobody waits for any more (it timed out) is late, not malformed.
    if (!waiting) return;
    this.pending.delete(id);
    clearTimeout(waiting.timer);
    if (typeof raw.error === 'string') return waiting.reject(new ChannelError('remote', raw.error));
    const message = this.accept(raw.message);
    if (!message) {
      this.malformed(raw, 'a reply that is not a valid message');
      return waiting.reject(new ChannelError('malformed', 'The reply was not a valid message.'));
    }
    if (message.type !== waiting.replyType) return waiting.reject(new ChannelError('malformed', `Expected a '${waiting.replyType}' reply, got '${message.type}'.`));
    waiting.resolve(message);
  }

  private answer(id: number, raw: unknown): void {
    const reply = (body: { message: Out } | { error: string }): void => {
      const envelope = { channel: 'reply', id, ...body } as Envelope;
      if (!this.disposed) this.port.post(envelope);
    };
    const message = this.accept(raw);
    if (!message) {
      this.malformed(raw, 'a request that is not a valid message');
      return reply({ error: 'The request was not a valid message.' });
    }
    const handler = this.handler;
    if (!handler) return reply({ error: `Nothing here answers '${message.type}' requests.` });
    // The handler may throw synchronously or reject: either way the requester hears why.
    new Promise<Out>((resolve) => resolve(handler(message))).then(
      (out) => reply({ message: out }),
      (e: unknown) => reply({ error: e instanceof Error ? e.message : String(e) }),
    );
  }

  private malformed(raw: unknown, why: string): void {
    this.options.onMalformed?.(raw, `${why}: ${brief(raw)}`);
  }
}

/** A port over anything with postMessage and on/off('message'): a Node Worker or MessagePort. */
export function eventPort(target: {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (raw: unknown) => void): unknown;
  off(event: 'message', listener: (raw: unknown) => void): unknown;
}): ChannelPort {
  return {
    post: (message) => target.postMessage(message),
    onMessage: (listener) => {
      target.on('message', listener);
      return { dispose: () => void target.off('message', listener) };
    },
  };
}
