// The runner's process group (torchrun and its ranks with it) and the loopback ports a run needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';

/** Signals the runner and everything it started (its own process group; taskkill /T on Windows). */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (!child.pid) return;
  try {
    if (process.platform === 'win32') spawn('taskkill', ['/pid', String(child.pid), '/T', '/F'], { windowsHide: true });
    else process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** A loopback port free right now, for the rendezvous of one machine's ranks (pytorchLaunch.ts). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free loopback port'))));
    });
  });
}

/**
 * Resolves true once something accepts a TCP connection at host:port (tried every `everyMs`), false
 * when `deadline` (Date.now() ms) passes or `cancelled()` says so first. The connection is closed at once.
 */
export async function waitForListener(host: string, port: number, deadline: number, cancelled: () => boolean, everyMs = 500): Promise<boolean> {
  const tryOnce = (): Promise<boolean> => new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(Math.max(100, Math.min(2000, deadline - Date.now())), () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
  while (!cancelled()) {
    if (await tryOnce()) return true;
    if (Date.now() + everyMs > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return false;
}
