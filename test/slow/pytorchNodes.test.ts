// A PyTorch run over two machines, both on this one: the first started as usual with `nodes: 2` and
// `rendezvous: 127.0.0.1:PORT`, the second with the README's join command in another process. It
// completes with the one-machine run's losses, its record names every rank, and nothing is left
// behind after it ends, after Stop on either side, after a joining machine dies, or when no machine
// joins (a timeout with a clear message, not a hang).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostToWebview } from '../../protocol/webview';
import { parseModel } from '../../model/language/parse';
import { TrainingRun } from '../../host/trainingRun';
import { PytorchConnection } from '../../host/engines/pytorchProcess';
import { writeEngineFiles } from '../../host/engines/engineFiles';
import { joinCommand, resolveTopology } from '../../host/engines/pytorchLaunch';
import { datasetsDir, repo, wasmDir } from '../unit/helpers';
import { info, log } from '../unit/trainingRunHelpers';
import { torchPython } from './torchPython';

/** Every process the CLIs start carries this in its environment: none may outlive a scenario. */
const MARKER = `MODELLAB_TEST_NODES=${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), 'ml-nodes-'));

function leftovers(): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid)) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(MARKER)) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch { /* gone meanwhile */ }
  }
  return found;
}

async function nothingLeft(within = 6000): Promise<void> {
  const t0 = Date.now();
  while (leftovers().length && Date.now() - t0 < within) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(leftovers(), [], 'no process left behind');
}

// A failed assertion must not leave a waiting machine behind for the next test file.
after(() => {
  for (const pid of leftovers().map((l) => Number(l.split(' ')[0]))) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
  }
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** The xor example over `nodes` machines meeting at a fresh loopback port. */
async function modelFile(name: string, epochs: number, nodes: number): Promise<string> {
  const text = readFileSync(join(repo, 'examples', 'xor.model.yaml'), 'utf8').replace('name: xor', `name: ${name}`).replace('epochs: 60', `epochs: ${epochs}`)
    + (nodes > 1 ? `  engine: pytorch\n  nodes: ${nodes}\n  rendezvous: 127.0.0.1:${await freePort()}\n` : '  engine: pytorch\n');
  const file = join(dir, `${name}.model.yaml`);
  writeFileSync(file, text);
  return file;
}

interface Cli { child: ChildProcess; out: string; err: string; exit: Promise<number | null> }

/** `model-lab ARGS` as a user runs it (the CLI from source), with the marker and a short collective timeout. */
function cli(args: string[]): Cli {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), ...args, '--python', torchPython()], {
    cwd: repo, env: { ...process.env, [MARKER.split('=')[0] as string]: String(process.pid), MODELLAB_COLLECTIVE_TIMEOUT: '10' },
  });
  const c: Cli = { child, out: '', err: '', exit: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
  child.stdout?.on('data', (d: Buffer) => { c.out += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { c.err += d.toString(); });
  return c;
}

/** The README's join command for this file, run here (model-lab being the CLI from source). */
const join2 = (file: string, ...more: string[]): Cli => cli([...joinCommand(file).slice(1), ...more]);

async function until(c: Cli, pattern: RegExp, ms = 90_000): Promise<void> {
  const t0 = Date.now();
  while (!pattern.test(c.err) && Date.now() - t0 < ms) await new Promise((r) => setTimeout(r, 100));
  assert.match(c.err, pattern);
}

const epochLosses = (json: string): number[] => (JSON.parse(json) as { epochs: { loss: number }[] }).epochs.map((e) => e.loss);

test('two machines on loopback train the one-machine run\'s losses; the record names both ranks; nothing is left', { timeout: 240_000 }, async () => {
  const one = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'cli', 'run.ts'), 'train', await modelFile('one', 8, 1), '--python', torchPython(), '--json', '--no-record'],
    { cwd: repo, encoding: 'utf8', timeout: 120_000 });
  assert.equal(one.status, 0, one.stderr);
  const file = await modelFile('two', 8, 2);
  const main = cli(['train', file, '--runs-dir', dir, '--join-timeout', '120']);
  await until(main, /Waiting for 1 more machine to join at 127\.0\.0\.1:\d+ .* run: model-lab train .*two\.model\.yaml --engine pytorch --join/);
  const joined = join2(file);
  assert.equal(await main.exit, 0, main.err);
  assert.equal(await joined.exit, 0, joined.err);
  assert.match(joined.err, /This machine trained its share of the run/);
  assert.match(main.out, /^completed: epoch 8\/8/m);
  const runDir = /^Run record: (.+)$/m.exec(main.out)?.[1] as string;
  const a = epochLosses(one.stdout);
  const b = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; loss: number })
    .filter((p) => p.kind === 'epoch').map((p) => p.loss);
  assert.equal(b.length, 8);
  a.forEach((l, i) => assert.ok(Math.abs(l - (b[i] as number)) <= 1e-5 * Math.abs(l), `epoch ${i + 1}: ${l} vs ${b[i]}`));
  const info = JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')) as { ranks: number; rankHosts: string[] };
  assert.equal(info.ranks, 2);
  assert.equal(info.rankHosts.length, 2, 'every rank named by its machine');
  await nothingLeft();
});

test('Stop on the first machine, then on the joining one, then the joining host killed: the run ends stopped on both, nothing left', { timeout: 300_000 }, async () => {
  for (const side of ['main', 'join', 'join-host-killed'] as const) {
    const file = await modelFile(`stop-${side}`, 3000, 2);
    const main = cli(['train', file, '--no-record', '--join-timeout', '120']);
    await until(main, /Waiting for 1 more machine/);
    const joined = join2(file);
    await until(main, /epoch 2\/3000/);
    // Killed, the joining machine's CLI cannot ask: its ranks see their host gone (MODELLAB_HOST_PID) and stop the run.
    (side === 'main' ? main : joined).child.kill(side === 'join-host-killed' ? 'SIGKILL' : 'SIGINT');
    const [m, j] = await Promise.all([main.exit, joined.exit]);
    assert.equal(m, 0, `${side}: the first machine's run ends as stopped, not failed: ${main.err.slice(-600)}`);
    assert.match(main.out, /^stopped: epoch \d+\/3000/m, side);
    if (side !== 'join-host-killed') assert.equal(j, 0, `${side}: ${joined.err.slice(-600)}`);
    await nothingLeft();
  }
});

test('a joining machine that dies fails the run with a reason; one with other data is refused; no machine joining times out with a clear message', { timeout: 240_000 }, async () => {
  const file = await modelFile('dies', 3000, 2);
  const main = cli(['train', file, '--no-record', '--join-timeout', '120']);
  await until(main, /Waiting for 1 more machine/);
  const joined = join2(file);
  await until(main, /epoch 2\/3000/);
  // The whole joining machine: its CLI and the torchrun group it started.
  for (const pid of leftovers().map((l) => Number(l.split(' ')[0]))) {
    try {
      const joining = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes('--join')
        || readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('MODELLAB_ROLE=join');
      if (joining) process.kill(pid, 'SIGKILL');
    } catch { /* gone meanwhile */ }
  }
  await joined.exit;
  assert.equal(await main.exit, 3, main.err.slice(-600));
  assert.match(main.err, /^error: Another training process of this run stopped or failed, so this one stopped too/m);
  await nothingLeft();

  // A joining machine whose copy of the data differs (another noise): both sides refuse before training.
  const same = await modelFile('differs', 5, 2);
  const other = join(mkdtempSync(join(tmpdir(), 'ml-nodes-other-')), 'differs.model.yaml');
  writeFileSync(other, readFileSync(same, 'utf8').replace('noise: 0.05', 'noise: 0.06'));
  const first = cli(['train', same, '--no-record', '--join-timeout', '120']);
  await until(first, /Waiting for 1 more machine/);
  const second = join2(other);
  assert.equal(await first.exit, 3, first.err.slice(-600));
  await second.exit;
  assert.match(first.err, /^error: The data on .+ \(rank \d\) differs from the data on .+, where the run was started: every machine must train the same model file with the same data files\./m);
  await nothingLeft();

  const lonely = cli(['train', await modelFile('lonely', 5, 2), '--no-record', '--join-timeout', '4']);
  const t0 = Date.now();
  assert.equal(await lonely.exit, 3, lonely.err.slice(-600));
  assert.match(lonely.err, /error: Not all 2 machines joined the rendezvous at 127\.0\.0\.1:\d+ within 4 s, so the run did not start\. Start the others with: model-lab train .*lonely\.model\.yaml --engine pytorch --join/);
  assert.ok(Date.now() - t0 < 60_000, `ended in ${Date.now() - t0} ms`);
  await nothingLeft();
});

test('the editor\'s run while the machines meet: it says how many are missing and the join command, the watchdog waits, the timeout fails it with its reason', { timeout: 120_000 }, async () => {
  const file = await modelFile('editor', 5, 2);
  const text = readFileSync(file, 'utf8');
  const spec = parseModel(text, { checkData: false }).spec;
  assert.ok(spec);
  const [waitDir, stopDir] = [mkdtempSync(join(tmpdir(), 'ml-wait-')), mkdtempSync(join(tmpdir(), 'ml-wait-'))];
  const said: string[] = []; // the snapshot is the run's live object: what it said is copied as it is sent
  const run = new TrainingRun({
    info: { ...info('t-wait'), engine: 'pytorch', modelFile: file }, source: text, extensionPath: repo, backend: 'auto', log,
    hangTimeoutMs: 3000, // shorter than the wait: a watchdog that ran while waiting would end the run first
    connect: (h) => new PytorchConnection({
      python: torchPython(), runnerDir: join(repo, 'engines', 'pytorch'), runId: 't-wait', spec, place: { datasetsDir, modelFile: file },
      dataDir: waitDir, device: 'cpu', topology: resolveTopology(spec, undefined, { joinTimeoutS: 8 }), log,
      writeData: () => writeEngineFiles(spec, { datasetsDir, modelFile: file }, waitDir, wasmDir),
      env: { ...process.env, [MARKER.split('=')[0] as string]: String(process.pid) },
    }, h),
  });
  const ended = new Promise<void>((resolve) => run.onDidUpdate((e: HostToWebview) => {
    if (e.type === 'snapshot' && e.run.waiting) said.push(e.run.waiting);
    if (e.type === 'status') resolve();
  }));
  await ended;
  assert.equal(said.length, 1, `${said.join('\n')} ${run.snapshot.status}: ${run.snapshot.summary?.error}`);
  assert.match(said[0] ?? '', new RegExp(`^Waiting for 1 more machine to join at 127\\.0\\.0\\.1:\\d+ \\(up to 8 s\\)\\. On each, in the project's folder, run: ${joinCommand(file).join(' ').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  assert.equal(run.snapshot.status, 'failed');
  assert.match(run.snapshot.summary?.error ?? '', /^Not all 2 machines joined the rendezvous at 127\.0\.0\.1:\d+ within 8 s, so the run did not start\./);
  assert.equal(run.snapshot.waiting, undefined, 'the wait is over once the run ended');
  await nothingLeft();

  // Stop while waiting: the run ends stopped, not failed, and takes torchrun with it.
  const waiting = new TrainingRun({
    info: { ...info('t-wait-stop'), engine: 'pytorch', modelFile: file }, source: text, extensionPath: repo, backend: 'auto', log,
    connect: (h) => new PytorchConnection({
      python: torchPython(), runnerDir: join(repo, 'engines', 'pytorch'), runId: 't-wait-stop', spec, place: { datasetsDir, modelFile: file },
      dataDir: stopDir, device: 'cpu', topology: resolveTopology(spec, undefined, { joinTimeoutS: 120 }), log,
      writeData: () => writeEngineFiles(spec, { datasetsDir, modelFile: file }, stopDir, wasmDir),
      env: { ...process.env, [MARKER.split('=')[0] as string]: String(process.pid) },
    }, h),
  });
  await new Promise<void>((resolve) => waiting.onDidUpdate((e) => { if (e.type === 'snapshot' && e.run.waiting) resolve(); }));
  await new Promise((r) => setTimeout(r, 1000)); // torchrun is up and waiting at the rendezvous
  const stopped = new Promise<void>((resolve) => waiting.onDidUpdate((e) => { if (e.type === 'status') resolve(); }));
  waiting.stop();
  await stopped;
  assert.equal(waiting.snapshot.status, 'stopped', waiting.snapshot.summary?.error);
  await nothingLeft();
});

test('a joining machine started first waits for the first one, then the run trains; with no first machine it gives up at its timeout, saying why', { timeout: 240_000 }, async () => {
  const file = await modelFile('join-first', 3, 2);
  const joined = join2(file, '--join-timeout', '120');
  await until(joined, /Waiting for the run's first machine at 127\.0\.0\.1:\d+ to start \(up to 120 s\)/);
  await new Promise((r) => setTimeout(r, 3000)); // several refused tries before the first machine comes
  const main = cli(['train', file, '--no-record', '--join-timeout', '120']);
  assert.equal(await main.exit, 0, main.err.slice(-600));
  assert.equal(await joined.exit, 0, joined.err.slice(-600));
  assert.match(main.out, /^completed: epoch 3\/3/m);
  assert.match(joined.err, /This machine trained its share of the run/);
  await nothingLeft();

  const alone = join2(await modelFile('join-alone', 3, 2), '--join-timeout', '3');
  assert.equal(await alone.exit, 3, alone.err.slice(-600));
  assert.match(alone.err, /error: Nothing answered at 127\.0\.0\.1:\d+ within 3 s: start the run on its first machine \(the one at that address\) and check that the port is open, then join again\./);
  await nothingLeft();
});
