// The training worker: one per run. Parses the model file it is given (it trusts nothing from the
// host either), trains it with core/, and streams coalesced progress back. Errors travel back as
// messages; an uncaught one still ends in an 'error' message before the thread exits.
import { parentPort } from 'node:worker_threads';
import type { HostToWorker, StartRequest, WorkerToHost } from '../protocol/worker';
import { assetDirs } from '../core/assets';
import { asHostToWorker } from '../core/protocol/validateWorker';
import { parseModel } from '../core/spec/parse';
import { formatDiagnostic } from '../core/spec/diagnostic';
import { ProgressCoalescer } from '../core/train/coalesce';
import { train } from '../core/train/loop';
import { CancellationSource } from '../core/util/cancellation';
import { assertNever } from '../core/util/assertNever';

const port = parentPort;
if (!port) throw new Error('worker/main.js must run in a worker thread.');

const post = (m: WorkerToHost): void => port.postMessage(m);
const cancel = new CancellationSource();
let started = false;

port.on('message', (raw: unknown) => {
  const msg = asHostToWorker(raw);
  if (!msg) {
    post({ type: 'log', level: 'warn', message: `Worker dropped a malformed message: ${String(JSON.stringify(raw)).slice(0, 200)}` });
    return;
  }
  handle(msg);
});

function handle(msg: HostToWorker): void {
  switch (msg.type) {
    case 'start':
      if (started) return post({ type: 'log', level: 'warn', message: 'This worker is already training; a worker runs one model.' });
      started = true;
      void run(msg);
      return;
    case 'stop':
      cancel.cancel();
      return;
    default:
      assertNever(msg, 'host message');
  }
}

async function run(req: StartRequest): Promise<void> {
  try {
    const parsed = parseModel(req.source, { defaultName: 'model' });
    if (!parsed.spec) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(req.modelFile, d));
      post({ type: 'error', message: `The model file has errors:\n${errors.join('\n')}` });
      return;
    }
    const coalescer = new ProgressCoalescer((chunk) => post({ type: 'progress', ...chunk }));
    const summary = await train(parsed.spec, {
      runId: req.runId,
      modelFile: req.modelFile,
      ...assetDirs(req.assetsDir),
      backend: req.backend,
      token: cancel.token,
      sink: {
        started: (info) => post({ type: 'started', info }),
        batch: (p) => coalescer.batch(p),
        epoch: (p) => coalescer.epoch(p),
        log: (level, message) => post({ type: 'log', level, message }),
      },
    });
    coalescer.flush();
    post({ type: 'done', summary });
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', message: err?.message ?? String(e), ...(err?.stack ? { stack: err.stack } : {}) });
  }
}
