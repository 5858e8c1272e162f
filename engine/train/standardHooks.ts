// The hooks every run gets from its model file: each feature that watches or steers training
// (statistics, schedules, early stopping, checkpoints, snapshot ensembles...) adds one line here.
// The loop never imports this: its callers (the worker, the CLI, tests, benchmarks) build the list
// and hand it to train(), adding their own hooks after these.
import type { ModelSpec } from '../../model/language/model';
import type { TrainingHook } from './hooks';
import { insideHook } from '../stats/insideHook';
import { testTimeAugmentationHook } from './testTimeAugmentation';
import { callbackHooks, scheduleHooks } from './callbacks/trainLabHooks';
import { finalModelHooks } from '../export/finalModel';

export interface StandardHookOptions {
  /** The run's record folder, where checkpoints, snapshots and the final model go (none: nothing is written). */
  runDir?: string | undefined;
  /** false: do not save the trained model into <runDir>/model/ when training ends (engine/export/finalModel.ts). */
  exportModel?: boolean | undefined;
}

export function standardHooks(spec: ModelSpec, opts: StandardHookOptions = {}): TrainingHook[] {
  const watchers = [insideHook(spec), testTimeAugmentationHook(spec)].filter((h): h is TrainingHook => h !== undefined);
  // The final model is saved last: after early stopping has restored its best weights.
  return [...scheduleHooks(spec), ...watchers, ...callbackHooks(spec, opts), ...finalModelHooks(opts)];
}
