// The training worker: one per run. Parses the model file it is given (it trusts nothing from the
// host either), trains it with engine/, and streams coalesced progress back. Errors travel back as
// messages; an uncaught one still ends in an 'error' message before the thread exits.
import { parentPort, workerData } from 'node:worker_threads';
import { type HostToWorker, type StartRequest, type WorkerToHost, asHostToWorker } from '../protocol/worker';
import type { TrainingDiagnostic } from '../protocol/stats';
import { assetDirs } from '../engine/assets';
import { parseModel } from '../model/language/parse';
import { JS_MODEL_PATTERN } from '../model/language/jsModel';
import { prepareJsModel } from './jsModel';
import { basename } from 'node:path';
import { formatDiagnostic } from '../model/language/diagnostic';
import { ProgressCoalescer } from '../engine/train/coalesce';
import { explainTrainingError } from '../engine/train/explainError';
import { train } from '../engine/train/loop';
import { lrFinderRun } from '../engine/train/lrFinder';
import { CancellationSource } from '../common/cancellation';
import { assertNever } from '../common/assertNever';
import { isReplicaThread, runReplica } from '../engine/train/parallel/replicaMain';
import { PickedMapsChannel } from '../engine/stats/pickedMapsHook';
import { servePickedMaps } from './servePickedMaps';
import { lowerThreadPriority } from '../engine/train/threadPriority';

const port = parentPort;
if (!port) throw new Error('worker/main.js must run in a worker thread.');

const post = (m: WorkerToHost): void => port.postMessage(m);
const cancel = new CancellationSource();
// `npm run bench:editor` times each batch from its end here to its arrival in the training panel.
const stampBatchEnds = Boolean(process.env.MODEL_LAB_BENCH);
let started = false;
/** Picked-example feature maps: from the training loop's model, or from a finished run's saved model. */
const picked = new PickedMapsChannel((reply) => post({ type: 'pickedMaps', reply }));
let recorded: ReturnType<typeof servePickedMaps> | undefined;

// Started by a training worker as its second data-parallel replica (engine/train/parallel), or by the host.
if (isReplicaThread(workerData)) runReplica(port);
else port.on('message', (raw: unknown) => {
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
    case 'pickMaps':
      if (recorded) recorded.request(msg.pick);
      else picked.request(msg.pick);
      return;
    case 'serveMaps':
      if (started) return post({ type: 'log', level: 'warn', message: 'This worker is already busy; feature maps of a recorded run need a worker of their own.' });
      started = true;
      recorded = servePickedMaps(msg, post);
      return;
    default:
      assertNever(msg, 'host message');
  }
}

async function run(req: StartRequest): Promise<void> {
  let parsed: ReturnType<typeof parseModel> | undefined;
  // First: the data-parallel replica thread, started later, inherits it.
  if (req.lowerPriority) post({ type: 'log', level: 'info', message: lowerThreadPriority() });
  try {
    // A JavaScript model file runs here, in the worker, only: its layers come from its own model(tf).
    const js = JS_MODEL_PATTERN.test(req.modelFile)
      ? await prepareJsModel(req.modelFile, req.source, assetDirs(req.assetsDir).wasmDir, basename(req.modelFile).replace(JS_MODEL_PATTERN, '') || 'model')
      : undefined;
    parsed = js ? js.parsed : parseModel(req.source, { defaultName: 'model' });
    // The editor cannot check a JS file itself (it never runs workspace code): its advice travels as
    // log lines and as diagnostics for the Problems panel, kept in front of each training list.
    if (js) for (const d of parsed.diagnostics.filter((x) => x.severity !== 'error')) post({ type: 'log', level: 'warn', message: formatDiagnostic(req.modelFile, d) });
    const toProblems = (list: TrainingDiagnostic[]): TrainingDiagnostic[] => (js ? [...js.advice, ...js.toJs(list)] : list);
    if (js?.advice.length) post({ type: 'diagnostics', list: js.advice });
    if (!parsed.spec) {
      const errors = parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => formatDiagnostic(req.modelFile, d));
      post({ type: 'error', message: `The model file has errors:\n${errors.join('\n')}` });
      return;
    }
    const coalescer = new ProgressCoalescer((chunk) => post({ type: 'progress', ...chunk }));
    // Model Lab: Find Learning Rate runs the same loop with a sweeping rate and no callbacks (engine/train/lrFinder.ts).
    const finder = req.lrFinder ? lrFinderRun(parsed.spec, req.lrFinder, cancel.token) : undefined;
    const summary = await train(finder?.spec ?? parsed.spec, {
      runId: req.runId,
      modelFile: req.modelFile,
      ...assetDirs(req.assetsDir),
      backend: req.backend,
      token: finder?.token ?? cancel.token,
      ...(js ? { buildModel: js.build } : {}),
      ...(finder ? { hooks: [finder.hook] } : { hooks: [picked.hook()], ...(req.runDir ? { runDir: req.runDir } : {}) }),
      sink: {
        started: (info) => post({ type: 'started', info }),
        batch: (p) => coalescer.batch(stampBatchEnds ? { ...p, endedAt: Date.now() } : p),
        epoch: (p) => coalescer.epoch(p),
        log: (level, message) => post({ type: 'log', level, message }),
        // Statistics follow the progress points before them, at the coalescer's pace.
        stats: (record) => coalescer.after(() => post({ type: 'stats', record })),
        diagnostics: (list) => post({ type: 'diagnostics', list: toProblems(list) }),
      },
    });
    coalescer.flush();
    post({ type: 'done', summary });
  } catch (e) {
    const err = e as Error;
    post({ type: 'error', message: explainTrainingError(err?.message ?? String(e), parsed?.summary), ...(err?.stack ? { stack: err.stack } : {}) });
  }
}
