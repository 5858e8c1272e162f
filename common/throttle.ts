// At most one call per interval, and never a stale last word: a call that comes too soon is not
// dropped but run at the end of the interval with the newest arguments (a trailing call). A status
// line that skipped the calls inside its interval showed an epoch several behind the panel until
// the next update came.
export interface Throttled<A extends unknown[]> {
  (...args: A): void;
  /** Runs a pending trailing call now (e.g. when the run ends). */
  flush(): void;
  dispose(): void;
}

export function throttleLatest<A extends unknown[]>(fn: (...args: A) => void, intervalMs: number, now: () => number = Date.now): Throttled<A> {
  let last = -Infinity;
  let pending: A | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = (args: A): void => {
    last = now();
    pending = undefined;
    fn(...args);
  };
  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending) run(pending);
  };
  const throttled = ((...args: A): void => {
    const wait = last + intervalMs - now();
    if (wait <= 0 && timer === undefined) return run(args);
    pending = args;
    timer ??= setTimeout(flush, Math.max(0, wait));
  }) as Throttled<A>;
  throttled.flush = flush;
  throttled.dispose = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    pending = undefined;
  };
  return throttled;
}
