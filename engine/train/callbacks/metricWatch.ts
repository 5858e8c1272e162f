// The best value so far of a monitored epoch metric, with Keras' minDelta rule; shared by
// reduce-on-plateau, early stopping and the best checkpoint.
import type { EpochPoint } from '../../../protocol/run';
import { higherIsBetter, type Monitor } from '../../../model/language/scheduleSpec';
import type { LoopContext } from '../hooks';

export class MetricWatch {
  best: number;
  bestEpoch = 0;
  private warned = false;

  constructor(readonly monitor: Monitor, private readonly minDelta: number, private readonly who: string) {
    this.best = higherIsBetter(monitor) ? -Infinity : Infinity;
  }

  /** true when the point improves on the best by more than minDelta; undefined when the metric is missing. */
  update(ctx: LoopContext, point: EpochPoint): boolean | undefined {
    const v = point[this.monitor];
    if (v === undefined || !Number.isFinite(v)) {
      if (!this.warned) ctx.sink.log('warn', `${this.who} monitors ${this.monitor}, which this run does not have${this.monitor.startsWith('val') ? ' (no validation split)' : ''}; it does nothing.`);
      this.warned = true;
      return undefined;
    }
    const better = higherIsBetter(this.monitor) ? v > this.best + this.minDelta : v < this.best - this.minDelta;
    if (better) {
      this.best = v;
      this.bestEpoch = point.epoch;
    }
    return better;
  }
}
