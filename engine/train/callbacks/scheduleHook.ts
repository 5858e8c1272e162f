// train.schedule as a training hook: sets the next step's learning rate before every batch (the loop
// hands ctx.learningRate to the optimizer), and reduces it on a plateau of the monitored metric.
import type { EpochPoint } from '../../../protocol/run';
import type { PlateauSpec, ScheduleSpec } from '../../../model/language/scheduleSpec';
import type { LoopContext, TrainingHook } from '../hooks';
import { plannedLearningRate, type ScheduleRun } from '../schedules';
import { MetricWatch } from './metricWatch';

export function scheduleHook(spec: ScheduleSpec, baseLearningRate: number): TrainingHook {
  let run: ScheduleRun | undefined;
  const plateau = spec.reduceOnPlateau ? new Plateau(spec.reduceOnPlateau) : undefined;
  return {
    begin(ctx) {
      run = { baseLearningRate, stepsPerEpoch: ctx.info.batchesPerEpoch, totalSteps: ctx.info.batchesPerEpoch * ctx.info.epochs };
    },
    beforeBatch(ctx) {
      if (!run) return;
      const planned = plannedLearningRate(spec, run, ctx.step);
      ctx.learningRate = plateau ? plateau.apply(planned) : planned;
    },
    afterEpoch(ctx, point) {
      plateau?.afterEpoch(ctx, point);
    },
  };
}

/** Keras' ReduceLROnPlateau, as a factor on top of the planned curve. */
class Plateau {
  private readonly watch: MetricWatch;
  private multiplier = 1;
  private cooldown = 0;
  private wait = 0;

  constructor(private readonly spec: PlateauSpec) {
    this.watch = new MetricWatch(spec.monitor, spec.minDelta, 'reduceOnPlateau');
  }

  private lastPlanned = 0;

  apply(planned: number): number {
    this.lastPlanned = planned;
    return this.multiplier < 1 ? Math.max(planned * this.multiplier, this.spec.minLearningRate) : planned;
  }

  afterEpoch(ctx: LoopContext, point: EpochPoint): void {
    const improved = this.watch.update(ctx, point);
    if (improved === undefined) return;
    if (this.cooldown > 0) {
      this.cooldown--;
      this.wait = 0;
    }
    if (improved) this.wait = 0;
    else if (this.cooldown === 0 && ++this.wait >= this.spec.patience) {
      this.multiplier *= this.spec.factor;
      this.cooldown = this.spec.cooldown;
      this.wait = 0;
      ctx.sink.log('info', `reduceOnPlateau: ${this.spec.monitor} has not improved for ${this.spec.patience} epochs; learning rate × ${this.spec.factor} (now ${fmt(this.apply(this.lastPlanned))}).`);
    }
  }
}

const fmt = (v: number): string => v.toPrecision(3);
