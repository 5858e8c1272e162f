// The rendezvous address a joining machine waits on, and the wait itself (a joining machine may be
// started before the run's first machine: host/engines/pytorchProcess.ts firstMachineUp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freeLoopbackPort, waitForListener } from '../../host/engines/processGroup';
import { parseRendezvous } from '../../model/language/readEngine';

test('a rendezvous option reads as host and port, IPv6 in brackets; anything else does not', () => {
  assert.deepEqual(parseRendezvous('10.0.0.5:29500'), { host: '10.0.0.5', port: 29500 });
  assert.deepEqual(parseRendezvous('gpu-box.local:1234'), { host: 'gpu-box.local', port: 1234 });
  assert.deepEqual(parseRendezvous('[fe80::1]:29500'), { host: 'fe80::1', port: 29500 });
  for (const bad of ['29500', ':29500', 'host:', 'host:0', 'host:70000', 'host:12.5']) assert.equal(parseRendezvous(bad), undefined, bad);
});

test('the wait ends when something listens, gives up at its deadline, and stops when cancelled', async () => {
  const port = await freeLoopbackPort();
  const t0 = Date.now();
  assert.equal(await waitForListener('127.0.0.1', port, Date.now() + 700, () => false, 100), false);
  assert.ok(Date.now() - t0 < 3000, `gave up after ${Date.now() - t0} ms`);

  let cancel = false;
  const cancelled = waitForListener('127.0.0.1', port, Date.now() + 60_000, () => cancel, 100);
  setTimeout(() => { cancel = true; }, 300);
  assert.equal(await cancelled, false);

  const waiting = waitForListener('127.0.0.1', port, Date.now() + 30_000, () => false, 100);
  const server = createServer((s) => s.destroy());
  setTimeout(() => server.listen(port, '127.0.0.1'), 500); // comes after a few refused tries
  assert.equal(await waiting, true);
  await new Promise((r) => server.close(r));
});
