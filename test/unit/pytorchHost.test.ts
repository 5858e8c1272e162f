// The host side of the PyTorch engine without training: JSON-line framing, finding Python and
// torch (a venv without torch cannot import it), the problem on the `engine:` line, the exact
// launch commands, the data files, and the training diagnostics the host computes for the runner.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asWorkerToHost, type WorkerToHost } from '../../protocol/worker';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { JsonLineReader } from '../../host/engines/jsonLines';
import { checkTorch, choosePython, installCommand } from '../../host/engines/python';
import { chooseEngine, engineRange, torchProblem, untrustedProblem } from '../../host/engines/engineChoice';
import { joinCommand, rankEnv, resolveTopology, runnerArgs, specForRunner, threadsPerProcess } from '../../host/engines/pytorchLaunch';
import { writeEngineData } from '../../host/engines/engineData';
import { writeEngineFiles } from '../../host/engines/engineFiles';
import { HostDiagnostics } from '../../host/engines/hostDiagnostics';
import { rendezvousFailure, waitingText } from '../../host/engines/rendezvous';
import { csvModel, datasetsDir, repo, wasmDir, XOR } from './helpers';
import { info, log } from './trainingRunHelpers';
import { TrainingRun } from '../../host/trainingRun';
import { PytorchConnection } from '../../host/engines/pytorchProcess';
import { writeEngineDataOffThread } from '../../host/engines/engineDataThread';
import { asEngineDataReply } from '../../protocol/engineData';
import { DataLoadError } from '../../engine/data/loadTraining';

const specOf = (text: string) => {
  const r = parseModel(text, { checkData: false });
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

function reader(maxLine?: number) {
  const got: WorkerToHost[] = [];
  const bad: string[] = [];
  const r = new JsonLineReader<WorkerToHost>({ validate: asWorkerToHost, onMessage: (m) => got.push(m), onMalformed: (why) => bad.push(why), ...(maxLine ? { maxLine } : {}) });
  return { r, got, bad };
}

test('JSON lines: split across chunks and inside a UTF-8 character, garbage and invalid messages dropped, long lines skipped whole', () => {
  const { r, got, bad } = reader(200);
  const log = JSON.stringify({ type: 'log', level: 'info', message: 'ünïcode ✓' }) + '\n';
  const bytes = Buffer.from(log + log);
  for (let i = 0; i < bytes.length; i += 7) r.push(bytes.subarray(i, i + 7)); // cuts through multi-byte characters
  assert.equal(got.length, 2);
  assert.deepEqual(got[0], { type: 'log', level: 'info', message: 'ünïcode ✓' });
  r.push('not json\n{"type":"log","level":"loud","message":"x"}\n\n');
  assert.deepEqual(bad, ['not JSON', 'not a message of the protocol']);
  r.push('{"type":"log","level":"info","message":"' + 'x'.repeat(150));
  r.push('y'.repeat(150) + '"}\n' + log);
  assert.equal(bad.length, 3, 'the long line is dropped');
  assert.match(bad[2] ?? '', /longer than 200|the limit is 200/);
  assert.equal(got.length, 3, 'the line after it still arrives');
  r.push('{"type":"log","level":"info","message":"' + 'z'.repeat(300)); // over the limit before its newline: not buffered
  assert.match(bad[3] ?? '', /longer than 200/);
  r.push('z'.repeat(300));
  r.push('"}\n' + log);
  assert.equal(bad.length, 4, 'its rest is skipped, not reported again');
  assert.equal(got.length, 4);
  r.push('{"type":"log","level":"warn","message":"no newline at the end"}');
  assert.equal(got.length, 4);
  r.end();
  assert.equal(got.length, 5);
});

test('Python: --python, then the setting, then the Python extension, then python3 on PATH', () => {
  assert.deepEqual(choosePython({ cli: '/a', setting: '/b', pythonExtension: '/c' }), { path: '/a', from: 'cli' });
  assert.deepEqual(choosePython({ setting: '/b', pythonExtension: '/c' }), { path: '/b', from: 'setting' });
  assert.deepEqual(choosePython({ setting: ' ', pythonExtension: '/c' }), { path: '/c', from: 'python extension' });
  assert.deepEqual(choosePython({}, 'linux'), { path: 'python3', from: 'PATH' });
  assert.deepEqual(choosePython({}, 'win32'), { path: 'python', from: 'PATH' });
  assert.equal(installCommand('/usr/bin/python3', '/usr/bin/python3', false, 'linux', true), 'sudo apt-get install python3-torch libopenblas0-pthread');
  assert.equal(installCommand('/v/bin/python', '/v/bin/python', true, 'linux', true), '/v/bin/python -m pip install torch', 'a venv takes pip');
  assert.equal(installCommand('python3', '/home/u/.pyenv/bin/python3', false, 'linux', true), 'python3 -m pip install torch');
  assert.equal(installCommand('/usr/bin/python3', '/usr/bin/python3', false, 'darwin', false), '/usr/bin/python3 -m pip install torch');
});

test('torch check: a venv without torch cannot import it; a missing interpreter is said so; both on the engine line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-venv-'));
  try {
    execFileSync('python3', ['-m', 'venv', '--without-pip', dir]);
    const venvPython = join(dir, 'bin', 'python');
    const check = await checkTorch(venvPython);
    assert.equal(check.ok, false);
    assert.ok(!check.ok && check.problem === 'no-torch', JSON.stringify(check));
    assert.match(!check.ok ? check.message : '', new RegExp(`cannot import torch\\. Install it: ${venvPython.replace(/[/.]/g, '\\$&')} -m pip install torch`));
    const missing = await checkTorch(join(dir, 'no-such-python'));
    assert.ok(!missing.ok && missing.problem === 'no-python' && /was not found/.test(missing.message), JSON.stringify(missing));
    const text = XOR.replace('  epochs: 60', '  epochs: 60\n  engine: pytorch');
    const spec = specOf(text);
    const d = torchProblem(spec, check);
    assert.equal(d?.range.start.line, lineOf(text, 'engine: pytorch'));
    assert.equal(d?.code, 'pytorch-unavailable');
    assert.equal(untrustedProblem(spec).range.start.line, lineOf(text, 'engine: pytorch'));
    assert.match(untrustedProblem(spec).message, /Restricted Mode.*Manage Workspace Trust/);
    assert.equal(engineRange(specOf(XOR)).start.line, lineOf(XOR, 'train:'), 'chosen by the setting: on the train key');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('engine choice: the flag over the file over the setting over tfjs', () => {
  const file = specOf(XOR.replace('  epochs: 60', '  epochs: 60\n  engine: pytorch'));
  const plain = specOf(XOR);
  assert.equal(chooseEngine(plain), 'tfjs');
  assert.equal(chooseEngine(plain, 'pytorch'), 'pytorch');
  assert.equal(chooseEngine(file, 'tfjs'), 'pytorch');
  assert.equal(chooseEngine(file, 'pytorch', 'tfjs'), 'tfjs');
});

test('launch: one process runs the module; several run torchrun with the Python 3.11 workaround; machines meet at the rendezvous', () => {
  assert.deepEqual(runnerArgs({ processes: 1, nodes: 1 }, 'xor'), ['-m', 'modellab_torch']);
  assert.deepEqual(runnerArgs({ processes: 2, nodes: 1 }, 'xor', '/r/ranks'),
    ['-m', 'torch.distributed.run', '--nproc_per_node', '2', '--standalone', '--monitor_interval', '0.5', '--redirects', '2', '--tee', '2', '--log_dir', '/r/ranks', '-m', 'modellab_torch']);
  assert.deepEqual(runnerArgs({ processes: 2, nodes: 1 }, 'xor', '/r/ranks', 41234),
    ['-m', 'torch.distributed.run', '--nproc_per_node', '2', '--nnodes', '1', '--rdzv_backend', 'c10d', '--rdzv_endpoint', '127.0.0.1:41234', '--rdzv_id', 'modellab-local-41234',
      '--monitor_interval', '0.5', '--redirects', '2', '--tee', '2', '--log_dir', '/r/ranks', '-m', 'modellab_torch'], 'a port the host picked, not torch 1.13 standalone\'s fixed 29400');
  assert.deepEqual(runnerArgs({ processes: 4, nodes: 2, rendezvous: '10.0.0.5:29400' }, 'my model'),
    ['-m', 'torch.distributed.run', '--nproc_per_node', '4', '--nnodes', '2', '--rdzv_backend', 'c10d', '--rdzv_endpoint', '10.0.0.5:29400', '--rdzv_id', 'modellab-my-model',
      '--rdzv_conf', 'is_host=1,join_timeout=600', '--monitor_interval', '0.5', '--redirects', '2', '--tee', '2', '-m', 'modellab_torch'], 'the first machine hosts the rendezvous');
  assert.deepEqual(runnerArgs({ processes: 1, nodes: 2, rendezvous: '10.0.0.5:29400', join: true, joinTimeoutS: 30 }, 'm').slice(4, 14),
    ['--nnodes', '2', '--rdzv_backend', 'c10d', '--rdzv_endpoint', '10.0.0.5:29400', '--rdzv_id', 'modellab-m', '--rdzv_conf', 'is_host=0,join_timeout=30'], 'a joining machine never hosts it');
  assert.deepEqual(rankEnv('/d/data.json', 2, 'cpu', true),
    { MODELLAB_DATA_FILE: '/d/data.json', MODELLAB_THREADS: '2', MODELLAB_DEVICE: 'cpu', MODELLAB_ROLE: 'join', MODELLAB_HOST_PID: String(process.pid) });
  assert.equal(rankEnv('/d/data.json', 2, 'cpu', true, '/d/initial-weights.json').MODELLAB_INITIAL_WEIGHTS_FILE, '/d/initial-weights.json',
    'each machine\'s ranks load the initial weights its own host drew');
  // The README's join command is the one the host shows while it waits and the slow test runs (pytorchNodes.test.ts).
  assert.ok(readFileSync(join(repo, 'README.md'), 'utf8').includes(`\`${joinCommand('model.yaml').join(' ')}\``), 'README names the join command');
  const spec = specOf(XOR.replace('  epochs: 60', '  epochs: 60\n  processes: auto'));
  assert.deepEqual(resolveTopology(spec), { processes: 1, nodes: 1, rendezvous: undefined }, 'auto is one process (measured: two ranks lose on small models)');
  assert.equal(resolveTopology(spec, 3).processes, 3, 'the flag wins');
  assert.equal(threadsPerProcess(2, 8), 4);
  assert.equal(threadsPerProcess(4, 2), 1);
  const sent = JSON.stringify(specForRunner(spec));
  assert.ok(!/"(source|range|ranges|optionRanges|keyRange)"/.test(sent), sent.slice(0, 200));
  assert.match(sent, /"layers":\[\{"kind":"dense","id":"dense_1"/);
});

test('data files: the loaders\' rows, one-hot labels and offsets into little-endian float32', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-data-'));
  try {
    const text = XOR.replace('    - dense: {units: 1, activation: sigmoid}', '    - dense: {units: 2, activation: softmax}').replace('binaryCrossentropy', 'categoricalCrossentropy');
    const { file, data } = writeEngineData(specOf(text), { datasetsDir, modelFile: '' }, dir);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), data);
    assert.equal(data.task, 'classification');
    assert.equal(data.train.n + data.val.n, 400);
    assert.deepEqual([data.train.xShape, data.train.yShape], [[2], [2]]);
    const bin = readFileSync(join(dir, 'data.bin'));
    const f = (i: number) => bin.readFloatLE(i * 4);
    assert.equal(bin.length / 4, data.val.y[0] + data.val.y[1]);
    for (let i = 0; i < data.train.n; i++) assert.equal(f(data.train.y[0] + 2 * i) + f(data.train.y[0] + 2 * i + 1), 1, 'one-hot rows');
    const [x0, y0] = [f(data.train.x[0]), f(data.train.x[0] + 1)];
    const label = f(data.train.y[0] + 1);
    assert.equal(label, Math.sign(x0) !== Math.sign(y0) ? 1 : 0, 'xor: the label is whether the signs differ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('host diagnostics: from epoch points and batches, the same rules as the tfjs worker, each list once', () => {
  const spec = specOf(XOR);
  const h = new HostDiagnostics(spec);
  const ep = (e: number, loss: number): EpochPoint => ({ epoch: e, loss, learningRate: 0.05, samplesPerSec: 1, elapsedMs: 1 });
  const info = { id: 'r', name: 'xor', modelFile: '', startedAt: '', epochs: 9, batchSize: 32, batchesPerEpoch: 10, trainSamples: 320, valSamples: 80, backend: 'pytorch (cpu)', metrics: [], dataset: 'xor', seed: 1, totalParams: 33 };
  assert.equal(h.observe({ type: 'started', info }), undefined);
  assert.equal(h.observe({ type: 'progress', batches: [], epochs: [ep(1, 1), ep(2, 2)] }), undefined, 'nothing to say is said once (the empty list is the start)');
  const list = h.observe({ type: 'progress', batches: [], epochs: [ep(3, 3), ep(4, 5)] });
  assert.deepEqual(list?.map((d) => d.code), ['loss-diverging']);
  assert.equal(list?.[0]?.range.start.line, lineOf(XOR, 'learningRate:'));
  assert.equal(h.observe({ type: 'progress', batches: [], epochs: [] }), undefined);
  const nan = h.observe({ type: 'progress', batches: [{ step: 41, epoch: 5, x: 4.1, loss: 0.5 }, { step: 42, epoch: 5, x: 4.2, loss: NaN }], epochs: [] });
  assert.ok(nan?.some((d) => d.code === 'loss-not-finite' && /epoch 5, batch 2/.test(d.message) && /last finite loss was 0\.5/.test(d.message)), JSON.stringify(nan));
  // The runner's way (JSON has no NaN): the failed run's summary names it; the last batch sent was finite.
  const viaSummary = new HostDiagnostics(spec);
  viaSummary.observe({ type: 'started', info });
  viaSummary.observe({ type: 'progress', batches: [{ step: 12, epoch: 2, x: 1.2, loss: 0.25 }], epochs: [] });
  const done = viaSummary.observe({ type: 'done', summary: { status: 'failed', endedAt: '', durationMs: 1, epochsDone: 1, nonFiniteLoss: { epoch: 2, batch: 3, loss: 'Infinity' } } as never });
  assert.ok(done?.some((d) => d.code === 'loss-not-finite' && /became Infinity at epoch 2, batch 3/.test(d.message) && /0\.25/.test(d.message)), JSON.stringify(done));
});

test('a data file that does not fit fails a PyTorch run before any Python starts, on its data line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-torch-data-'));
  try {
    const text = csvModel('missing', 'no-such.csv', 2);
    const spec = specOf(text);
    const run = new TrainingRun({
      info: info('bad-data'), source: text, extensionPath: repo, backend: 'auto', log,
      connect: (h) => new PytorchConnection({
        python: join(dir, 'never-started-python'), runnerDir: join(repo, 'engines', 'pytorch'), runId: 'bad-data', spec,
        place: { datasetsDir, modelFile: join(dir, 'm.model.yaml') }, dataDir: dir, device: 'cpu', topology: { processes: 1, nodes: 1 }, log,
        writeData: () => writeEngineFiles(spec, { datasetsDir, modelFile: join(dir, 'm.model.yaml') }, dir, wasmDir),
      }, h),
    });
    await new Promise<void>((resolve) => run.onDidUpdate((e) => { if (e.type === 'status') resolve(); }));
    assert.equal(run.snapshot.status, 'failed');
    assert.match(run.snapshot.summary?.error ?? '', /no-such\.csv/);
    const d = run.inside.diagnostics[0];
    assert.equal(d?.range.start.line, lineOf(text, 'csv: no-such.csv'), JSON.stringify(run.inside.diagnostics));
    run.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the data files are written on a thread of their own; a data error comes back placed on its key', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ml-data-thread-'));
  const boot = `require('tsx/cjs'); require(${JSON.stringify(join(repo, 'worker', 'engineData.ts'))});`;
  const thread = () => new Worker(boot, { eval: true });
  try {
    const { dataFile: file, weightsFile } = await writeEngineDataOffThread({ source: XOR, modelFile: '', datasetsDir, dataDir: dir, wasmDir, seed: 1 }, thread);
    assert.equal(file, join(dir, 'data.json'));
    assert.equal(weightsFile, join(dir, 'initial-weights.json'), 'the initial weights beside it (test/unit/initialWeights.test.ts checks their values)');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).train.n, 320);
    const bad = csvModel('missing', 'no-such.csv', 2);
    await assert.rejects(writeEngineDataOffThread({ source: bad, modelFile: join(dir, 'm.model.yaml'), datasetsDir, dataDir: dir, wasmDir, seed: 1 }, thread),
      (e: unknown) => e instanceof DataLoadError && /no-such\.csv/.test(e.message) && e.key !== undefined);
    assert.equal(asEngineDataReply({ ok: true }), undefined, 'a reply without its file is not one');
    assert.equal(asEngineDataReply({ ok: true, file: 'd.json' }), undefined, 'nor one without the initial weights');
    assert.deepEqual(asEngineDataReply({ ok: false, message: 'm', extra: 1 }), { ok: false, message: 'm' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('machines meeting: what the run says while it waits, and torchrun\'s rendezvous failures as one sentence', () => {
  const main = { processes: 1, nodes: 3, rendezvous: '10.0.0.5:29400', joinTimeoutS: 60 };
  assert.equal(waitingText(main, '/p/m.model.yaml'),
    'Waiting for 2 more machines to join at 10.0.0.5:29400 (up to 60 s). On each, in the project\'s folder, run: model-lab train /p/m.model.yaml --engine pytorch --join');
  assert.match(waitingText({ ...main, join: true }, '/p/m.model.yaml'), /^Joining the run at 10\.0\.0\.5:29400: waiting for all 3 machines \(up to 60 s\)\.$/);
  const timeout = ['Traceback (most recent call last):', 'torch.distributed.elastic.rendezvous.api.RendezvousTimeoutError'];
  assert.match(rendezvousFailure(main, '/p/m.model.yaml', timeout) ?? '', /^Not all 3 machines joined the rendezvous at 10\.0\.0\.5:29400 within 60 s, so the run did not start\. Start the others with: model-lab train/);
  const refused = ['torch.distributed.elastic.rendezvous.api.RendezvousConnectionError: The connection to the C10d store has failed.'];
  assert.match(rendezvousFailure({ ...main, join: true }, '', refused) ?? '', /^Could not reach the run at 10\.0\.0\.5:29400: start it on its first machine/);
  assert.match(rendezvousFailure(main, '', refused) ?? '', /this machine must be the one at that address, with the port free/);
  assert.equal(rendezvousFailure(main, '', ['RuntimeError: something else']), undefined);
  assert.equal(rendezvousFailure({ processes: 2, nodes: 1 }, '', timeout), undefined, 'one machine has no rendezvous to miss');
});
