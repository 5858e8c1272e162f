// The hooks every run gets from its model file: each feature that watches or steers training
// (statistics, schedules, early stopping, checkpoints, snapshot ensembles...) adds one line here.
import type { ModelSpec } from '../../model/language/model';
import type { TrainingHook } from './hooks';
import type { TrainOptions } from './loop';
import { insideHook } from '../stats/insideHook';
import { testTimeAugmentationHook } from './testTimeAugmentation';
import { callbackHooks, scheduleHooks } from './callbacks/trainLabHooks';
import { finalModelHooks } from '../export/finalModel';

export function standardHooks(spec: ModelSpec, opts: TrainOptions): TrainingHook[] {
  const watchers = [insideHook(spec), testTimeAugmentationHook(spec)].filter((h): h is TrainingHook => h !== undefined);
  // The final model is saved last: after early stopping has restored its best weights.
  return [...scheduleHooks(spec), ...watchers, ...callbackHooks(spec, opts), ...finalModelHooks(opts)];
}
