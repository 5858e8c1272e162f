// The training worker: one per run. Parses the model file it is given (it trusts nothing from the
// host either), trains it with engine/, and streams coalesced progress back. Errors travel back as
// messages; an uncaught one still ends in an 'error' message before the thread exits.
import { parentPort, workerData } from 'node:worker_threads';
import { asHostToWorker, type HostToWorker, type StartRequest, type WorkerToHost } from '../protocol/worker';
import { Channel, eventPort } from '../protocol/channel';
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
import { standardHooks } from '../engine/train/standardHooks';
import { CancellationSource } from '../common/cancellation';
import { assertNever } from '../common/assertNever';
import { isReplicaThread, runReplica } from '../engine/train/parallel/replicaMain';
import { PickedMapsChannel } from '../engine/stats/pickedMapsHook';
import { servePickedMaps } from './servePickedMaps';
import { lowerThreadPriority } from '../engine/train/threadPriority';

const port = parentPort;
if (!port) throw new Error('worker/main.js must run in a worker thread.');

const post = (m: WorkerToHost): void => port.postMessage(m);
// Every host message is checked on arrival (protocol/worker.ts asHostToWorker); what fails is logged back and dropped.
const channel = isReplicaThread(workerData) ? undefined : new Channel<HostToWorker, WorkerToHost>(eventPort(port), asHostToWorker, {
  onMalformed: (_raw, why) => post({ type: 'log', level: 'warn', message: `Worker dropped a malformed message: ${why}` }),
});
const cancel = new CancellationSource();
// `npm run bench:editor` times each batch from its end here to its arrival in the training panel.
const stampBatchEnds = Boolean(process.env.MODEL_LAB_BENCH);
let started = false;
/** Picked-example feature maps: from the training loop's model, or from a finished run's saved model. */
const picked = new PickedMapsChannel((reply) => post({ type: 'pickedMaps', reply }));
let recorded: ReturnType<typeof servePickedMaps> | undefined;

// Started by a training worker as its second data-parallel replica (engine/train/parallel), or by the host.
if (!channel) runReplica(port);
else {
  channel.onMessage(handle);
  // A worker serving a finished run's maps answers each pick as a request (host/recordedMapsWorker.ts).
  channel.onRequest(async (msg) => {
    if (msg.type !== 'pickMaps' || !recorded) throw new Error(`A '${msg.type}' request is answered only by a worker serving a finished run's feature maps.`);
    return { type: 'pickedMaps', reply: await recorded.request(msg.pick) };
  });
}

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
      // A plain pick (not a request) to a serving worker is answered as a plain message.
      if (recorded) void recorded.request(msg.pick).then((reply) => post({ type: 'pickedMaps', reply }), () => undefined);
      else picked.request(msg.pick);
      return;
    case 'serveMaps':
      if (started) return post({ type: 'log', level: 'warn', message: 'This worker is already busy; feature maps of a recorded run need a worker of their own.' });
      started = true;
      recorded = servePickedMaps(msg);
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
    // The run's hooks: what the model file asks for (none of its callbacks in a sweep), then the
    // finder's, or the channel answering the panel's picks of feature maps.
    const spec = finder?.spec ?? parsed.spec;
    const hooks = finder
      ? [...standardHooks(spec), finder.hook]
      : [...standardHooks(spec, { runDir: req.runDir }), picked.hook()];
    const summary = await train(spec, {
      runId: req.runId,
      modelFile: req.modelFile,
      ...assetDirs(req.assetsDir),
      backend: req.backend,
      token: finder?.token ?? cancel.token,
      ...(js ? { buildModel: js.build } : {}),
      hooks,
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
