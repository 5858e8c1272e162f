// A worker that trains nothing: it loads a finished run's saved model and data once
// (engine/stats/recordedMaps.ts) and answers feature-map picks until the host terminates it. Picks
// that arrive while it loads wait; only the newest is answered, as only it is still wanted.
import type { ExamplePick } from '../protocol/pickedMaps';
import type { ServeMapsRequest, WorkerToHost } from '../protocol/worker';
import { assetDirs } from '../engine/assets';
import { JS_MODEL_PATTERN } from '../model/language/jsModel';
import { openRecordedMaps, type RecordedMaps } from '../engine/stats/recordedMaps';

export function servePickedMaps(req: ServeMapsRequest, post: (m: WorkerToHost) => void): { request(pick: ExamplePick): void } {
  let ready: RecordedMaps | undefined;
  let failure: string | undefined;
  let waiting: ExamplePick | undefined;
  const answer = (pick: ExamplePick): void => {
    try {
      post({ type: 'pickedMaps', reply: failure ? { pick, error: failure } : (ready as RecordedMaps).answer(pick) });
    } catch (e) {
      post({ type: 'pickedMaps', reply: { pick, error: `Feature maps could not be computed: ${(e as Error).message}` } });
    }
  };
  const open = JS_MODEL_PATTERN.test(req.modelFile)
    ? Promise.reject(new Error('Feature maps of a finished JavaScript model file are not computed after its run (its code is not run again).'))
    : openRecordedMaps({ runDir: req.runDir, source: req.source, modelFile: req.modelFile, backend: req.backend, ...assetDirs(req.assetsDir) });
  open.then((r) => {
    ready = r;
  }, (e: unknown) => {
    failure = (e as Error)?.message ?? String(e);
  }).finally(() => {
    if (waiting) answer(waiting);
    waiting = undefined;
  });
  return {
    request(pick) {
      if (ready || failure) answer(pick);
      else waiting = pick;
    },
  };
}
