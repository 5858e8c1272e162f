// How every page talks with the host: it listens first, drops (and notes in the console) any message
// its validator refuses, then says 'ready', after which the host sends its whole snapshot.
import { vscodeApi } from './vscodeApi';

const ASK_EVERY_MS = 1000;
const ASK_AT_MOST = 10;

/**
 * Hands each valid host message to `handle`, then says 'ready'. With `loaded`, 'ready' is said again
 * every second until it returns true: a page VS Code re-creates while moving the panel into another
 * editor group can say 'ready' before the host hears it (the host answers every 'ready').
 */
export function listenToHost<In>(page: string, validate: (raw: unknown) => In | undefined, handle: (message: In) => void, loaded?: () => boolean): void {
  window.addEventListener('message', (event: MessageEvent) => {
    const message = validate(event.data);
    if (message === undefined) {
      console.warn(`Model Lab ${page} dropped a malformed message`, event.data);
      return;
    }
    handle(message);
  });
  let asked = 0;
  (function sayReady(): void {
    if (loaded?.() || asked++ >= ASK_AT_MOST) return;
    vscodeApi().postMessage({ type: 'ready' });
    if (loaded) setTimeout(sayReady, ASK_EVERY_MS);
  })();
}
