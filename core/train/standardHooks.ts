// The hooks every run gets from its model file: each feature that watches or steers training
// (statistics, schedules, early stopping, checkpoints, snapshot ensembles...) adds one line here.
import type { ModelSpec } from '../spec/model';
import type { TrainingHook } from './hooks';
import type { TrainOptions } from './loop';

export function standardHooks(_spec: ModelSpec, _opts: TrainOptions): TrainingHook[] {
  return [];
}
