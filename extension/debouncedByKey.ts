// Waits until the user pauses typing before acting on a document: one timer per key (a document's
// or a notebook's uri), restarted by each edit, so a burst of edits brings one refresh.
import type * as vscode from 'vscode';

export const DIAGNOSTICS_DEBOUNCE_MS = 150;

export interface DebouncedByKey<T> extends vscode.Disposable {
  /** Runs `refresh(item)` once no other call for the same key came within the delay. */
  schedule(item: T): void;
}

export function debouncedByKey<T>(keyOf: (item: T) => string, refresh: (item: T) => void, ms = DIAGNOSTICS_DEBOUNCE_MS): DebouncedByKey<T> {
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    schedule: (item) => {
      const key = keyOf(item);
      clearTimeout(timers.get(key));
      timers.set(key, setTimeout(() => {
        timers.delete(key);
        refresh(item);
      }, ms));
    },
    dispose: () => timers.forEach((t) => clearTimeout(t)),
  };
}
