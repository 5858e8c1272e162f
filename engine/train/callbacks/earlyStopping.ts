// Keras' EarlyStopping: ends training once the monitored metric has not improved by more than
// minDelta for `patience` epochs; with restoreBestWeights the model ends with its best epoch's weights.
import * as tf from '@tensorflow/tfjs-core';
import type { EarlyStoppingSpec } from '../../../model/language/scheduleSpec';
import type { TrainingHook } from '../hooks';
import { MetricWatch } from './metricWatch';

export function earlyStoppingHook(spec: EarlyStoppingSpec): TrainingHook {
  const watch = new MetricWatch(spec.monitor, spec.minDelta, 'earlyStopping');
  let wait = 0;
  let best: tf.Tensor[] | undefined;
  const release = (): void => {
    if (best) tf.dispose(best);
    best = undefined;
  };
  return {
    afterEpoch(ctx, point) {
      const improved = watch.update(ctx, point);
      if (improved === undefined) return;
      if (improved) {
        wait = 0;
        if (spec.restoreBestWeights) {
          release();
          // Clones share the current buffers; the optimizer always writes new ones (never in place).
          best = ctx.model.getWeights().map((w) => tf.clone(w));
        }
        return;
      }
      if (++wait < spec.patience) return;
      ctx.stopReason = `earlyStopping: ${spec.monitor} has not improved for ${wait} epoch${wait === 1 ? '' : 's'} (best ${watch.best.toPrecision(4)} at epoch ${watch.bestEpoch}).`;
      if (best) {
        ctx.model.setWeights(best);
        ctx.stopReason += ` Restored the weights of epoch ${watch.bestEpoch}.`;
      }
    },
    end() {
      release();
    },
  };
}
