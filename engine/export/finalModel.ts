// The trained model, saved into its run folder when training ends: <run>/model/ in tfjs's layers
// format (model.json + the weights file), written by the same IOHandler as checkpoints
// (engine/train/callbacks/fileModelHandler.ts). tf.loadLayersModel reads it back, in Node through
// loadExportedModel below and in a browser from any URL serving the folder.
import * as tfl from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import type { TrainingHook } from '../train/hooks';
import { fileModelHandler } from '../train/callbacks/fileModelHandler';
import '../train/customLayers'; // registers maxout and the normalisation layers tfjs lacks, for loading
import { MODEL_DIR } from './modelDir';

export { MODEL_DIR };

/** The hook that saves the final model, for runs with a record folder unless opts.exportModel is false. */
export function finalModelHooks(opts: { runDir?: string | undefined; exportModel?: boolean | undefined }): TrainingHook[] {
  return opts.runDir && opts.exportModel !== false ? [finalModelHook(opts.runDir)] : [];
}

export function finalModelHook(runDir: string): TrainingHook {
  return {
    async end(ctx) {
      // A model that never stepped is the untrained one; one whose loss went NaN has NaN weights.
      if (ctx.step === 0) return;
      if (ctx.nonFiniteLoss) {
        ctx.sink.log('warn', `The trained model was not saved: its loss became ${ctx.nonFiniteLoss.loss} at epoch ${ctx.nonFiniteLoss.epoch}.`);
        return;
      }
      const dir = join(runDir, MODEL_DIR);
      try {
        await ctx.model.save(fileModelHandler(dir, { modelLab: { name: ctx.spec.name, epoch: ctx.epoch, step: ctx.step, ...(ctx.stopReason ? { stopReason: ctx.stopReason } : {}) } }));
        ctx.sink.log('info', `Saved the trained model (epoch ${ctx.epoch}, step ${ctx.step}) in ${dir}.`);
      } catch (e) {
        ctx.sink.log('warn', `Could not save the trained model in ${dir}: ${(e as Error).message}.`);
      }
    },
  };
}

/** Loads a model saved by finalModelHook (or a checkpoint) back with tf.loadLayersModel. */
export function loadExportedModel(dir: string): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(fileModelHandler(dir));
}
