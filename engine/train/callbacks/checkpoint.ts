// Checkpoints in tfjs's model format under <run>/checkpoints/: `best` (the epoch with the best
// monitored metric so far) and/or `last` (the latest epoch). tf.loadLayersModel(fileModelHandler(dir))
// loads either back. A failed save is logged once and training goes on.
import { join } from 'node:path';
import type { CheckpointSpec } from '../../../model/language/scheduleSpec';
import type { LoopContext, TrainingHook } from '../hooks';
import { fileModelHandler } from './fileModelHandler';
import { MetricWatch } from './metricWatch';

export const CHECKPOINTS_DIR = 'checkpoints';

export function checkpointHook(spec: CheckpointSpec, runDir: string): TrainingHook {
  const watch = new MetricWatch(spec.monitor, 0, 'checkpoint');
  let failed = false;
  const save = async (ctx: LoopContext, name: 'best' | 'last', meta: Record<string, string | number>): Promise<void> => {
    try {
      await ctx.model.save(fileModelHandler(join(runDir, CHECKPOINTS_DIR, name), { modelLab: meta }));
    } catch (e) {
      if (!failed) ctx.sink.log('warn', `checkpoint: could not save the ${name} model in ${runDir}: ${(e as Error).message}. Training goes on.`);
      failed = true;
    }
  };
  return {
    async afterEpoch(ctx, point) {
      const meta: Record<string, string | number> = { epoch: point.epoch, step: ctx.step, monitor: spec.monitor, value: point[spec.monitor] ?? 'none' };
      if (spec.save !== 'last' && watch.update(ctx, point)) await save(ctx, 'best', meta);
      if (spec.save !== 'best') await save(ctx, 'last', meta);
    },
  };
}
