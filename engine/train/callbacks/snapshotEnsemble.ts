// Snapshot ensembles (Huang et al. 2017): with a cyclic or warm-restart schedule, the model at the
// end of each cycle (the rate at its bottom) is a snapshot; the ensemble averages the last `keep`
// snapshots' predicted probabilities. What the ensemble needs of a snapshot is its predictions on the
// validation set, so those are what is kept (a few KB each) instead of a full copy of the weights;
// each epoch then reports the ensemble's validation accuracy beside the single model's. With a run
// folder, each snapshot is also saved as a model (<run>/snapshots/cycle-N, tfjs format) to load later.
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ScheduleSpec, SnapshotEnsembleSpec } from '../../../model/language/scheduleSpec';
import type { LoopContext, TrainingHook } from '../hooks';
import { correctCount } from '../losses';
import { cycleEnds } from '../schedules';
import { fileModelHandler } from './fileModelHandler';

const CHUNK = 1024;

export const SNAPSHOTS_DIR = 'snapshots';

export function snapshotEnsembleHook(spec: SnapshotEnsembleSpec, schedule: ScheduleSpec, baseLearningRate: number, runDir?: string): TrainingHook {
  let ends = new Set<number>();
  let saveFailed = false;
  const snapshots: tf.Tensor[] = [];
  let taken = 0;
  let warned = false;
  return {
    begin(ctx) {
      const run = { baseLearningRate, stepsPerEpoch: ctx.info.batchesPerEpoch, totalSteps: ctx.info.batchesPerEpoch * ctx.info.epochs };
      ends = new Set(cycleEnds(schedule, run));
    },
    afterBatch(ctx) {
      if (!ends.has(ctx.step)) return;
      if (!ctx.val) {
        if (!warned) ctx.sink.log('warn', 'snapshotEnsemble needs a validation split (data.validationSplit) to report on; it does nothing.');
        warned = true;
        return;
      }
      snapshots.push(predict(ctx, ctx.val.x));
      taken++;
      if (runDir && !saveFailed) {
        saveSnapshot(ctx.model, join(runDir, SNAPSHOTS_DIR, `cycle-${taken}`), { cycle: taken, step: ctx.step }).catch((e: Error) => {
          if (!saveFailed) ctx.sink.log('warn', `snapshotEnsemble: could not save snapshot ${taken}: ${e.message}. Training goes on.`);
          saveFailed = true;
        });
      }
      ctx.sink.log('info', `snapshotEnsemble: snapshot ${taken} at the end of cycle ${taken} (step ${ctx.step}).`);
      while (snapshots.length > spec.keep) snapshots.shift()?.dispose();
    },
    afterEpoch(ctx, point) {
      if (!ctx.val || snapshots.length === 0) return;
      const val = ctx.val;
      const correct = tf.tidy(() => correctCount(val.y, tf.div(tf.addN(snapshots), snapshots.length)));
      point.ensembleValAccuracy = (correct.dataSync()[0] as number) / val.n;
      point.ensembleSize = snapshots.length;
      correct.dispose();
    },
    end() {
      tf.dispose(snapshots);
      snapshots.length = 0;
    },
  };
}

/** The model's predicted probabilities on x, in chunks (inference mode). */
function predict(ctx: LoopContext, x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const n = x.shape[0] ?? 0;
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += CHUNK) {
      parts.push(ctx.model.apply(tf.slice(x, start, Math.min(CHUNK, n - start)), { training: false }) as tf.Tensor);
    }
    return parts.length === 1 ? (parts[0] as tf.Tensor) : tf.concat(parts, 0);
  });
}

/**
 * Saves the weights as they are at this step. model.save() reads the weights asynchronously, by
 * which time the next steps have replaced them; so they are read here, synchronously, and handed
 * to the folder handler as ready-made artifacts.
 */
function saveSnapshot(model: tfl.LayersModel, dir: string, meta: Record<string, number>): Promise<tf.io.SaveResult> {
  const weights = model.weights;
  const data = weights.map((w) => w.read().dataSync() as Float32Array);
  const bytes = new Float32Array(data.reduce((n, d) => n + d.length, 0));
  let at = 0;
  for (const d of data) {
    bytes.set(d, at);
    at += d.length;
  }
  const handler = fileModelHandler(dir, { modelLab: meta });
  if (!handler.save) return Promise.reject(new Error('the folder handler cannot save'));
  return handler.save({
    modelTopology: model.toJSON(null, false) as object,
    format: 'layers-model',
    generatedBy: 'Model Lab (snapshot ensemble)',
    weightSpecs: weights.map((w) => ({ name: w.originalName, shape: w.shape.map((n) => n ?? 0), dtype: 'float32' as const })),
    weightData: bytes.buffer,
  });
}
