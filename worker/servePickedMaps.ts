// A worker that trains nothing: it loads a finished run's saved model and data once
// (engine/stats/recordedMaps.ts) and answers feature-map picks until the host terminates it. Picks
// that arrive while it loads wait; only the newest is answered, as only it is still wanted: an older
// waiting one is refused (the host ignores that refusal, it asked for something newer).
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import type { ServeMapsRequest } from '../protocol/worker';
import { assetDirs } from '../engine/assets';
import { JS_MODEL_PATTERN } from '../model/language/jsModel';
import { openRecordedMaps, type RecordedMaps } from '../engine/stats/recordedMaps';

export interface RecordedMapsServer {
  /** The maps of `pick`, or why there are none; rejects only when a newer pick replaced it while loading. */
  request(pick: ExamplePick): Promise<PickedMapsReply>;
}

export function servePickedMaps(req: ServeMapsRequest): RecordedMapsServer {
  let ready: RecordedMaps | undefined;
  let failure: string | undefined;
  let waiting: { pick: ExamplePick; resolve(reply: PickedMapsReply): void; reject(e: Error): void } | undefined;
  const answer = (pick: ExamplePick): PickedMapsReply => {
    try {
      return failure ? { pick, error: failure } : (ready as RecordedMaps).answer(pick);
    } catch (e) {
      return { pick, error: `Feature maps could not be computed: ${(e as Error).message}` };
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
    if (waiting) waiting.resolve(answer(waiting.pick));
    waiting = undefined;
  });
  return {
    request(pick) {
      if (ready || failure) return Promise.resolve(answer(pick));
      waiting?.reject(new Error('A newer pick replaced this one while the saved model was loading.'));
      return new Promise((resolve, reject) => {
        waiting = { pick, resolve, reject };
      });
    },
  };
}
