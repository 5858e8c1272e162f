// The hooks of train.schedule and train.callbacks, in the order they must run: the schedule first
// (it sets each step's rate); after every other hook the snapshot ensemble, checkpoints, and early
// stopping last, since restoring the best weights changes the model the others would look at.
import type { ModelSpec } from '../../../model/language/model';
import type { TrainingHook } from '../hooks';
import { checkpointHook } from './checkpoint';
import { earlyStoppingHook } from './earlyStopping';
import { scheduleHook } from './scheduleHook';
import { snapshotEnsembleHook } from './snapshotEnsemble';

export function scheduleHooks(spec: ModelSpec): TrainingHook[] {
  const s = spec.train.schedule;
  return s ? [scheduleHook(s, spec.train.learningRate)] : [];
}

export function callbackHooks(spec: ModelSpec, opts: { runDir?: string | undefined }): TrainingHook[] {
  const c = spec.train.callbacks;
  const s = spec.train.schedule;
  const hooks: TrainingHook[] = [];
  if (c?.snapshotEnsemble && s) hooks.push(snapshotEnsembleHook(c.snapshotEnsemble, s, spec.train.learningRate, opts.runDir));
  if (c?.checkpoint && opts.runDir) hooks.push(checkpointHook(c.checkpoint, opts.runDir));
  if (c?.earlyStopping) hooks.push(earlyStoppingHook(c.earlyStopping));
  return hooks;
}
