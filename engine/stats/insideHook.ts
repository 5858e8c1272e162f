// The training hook behind "inside the network": collects statistics on the schedule the model
// file sets (train.statistics; default at init and after every epoch), sends them in parts under
// the message budget, and re-runs the training diagnostics whenever new evidence arrives.
// To stay cheap it taps the loop (LoopContext.tapGradients / tapValidation) before a collection:
// the gradient norms come from the step just taken (its batch is the sampled batch) and the
// confusion matrix from the epoch's validation pass, so neither is computed twice.
import * as tf from '@tensorflow/tfjs-core';
import type { BatchPoint, EpochPoint } from '../../protocol/run';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import type { ModelSpec } from '../../model/language/model';
import type { LoopContext, TrainingHook } from '../train/hooks';
import type { TensorPair } from '../train/tensors';
import { splitRecord } from '../../common/stats/budget';
import { gradientNorms, StatsCollector, type Reused } from './collect';
import { ConfusionCounter, wantsConfusion } from './predictions';
import { diagnose } from './diagnose';
import { DEFAULT_STATS_SCHEDULE } from '../../model/language/statsSchedule';

export function insideHook(spec: ModelSpec): TrainingHook {
  const schedule = spec.train.statistics ?? DEFAULT_STATS_SCHEDULE;
  const collecting = schedule.every !== 'off';
  let collector: StatsCollector | undefined;
  let probe: TensorPair | undefined;
  let init: StatsRecord | undefined;
  let latest: StatsRecord | undefined;
  const epochs: EpochPoint[] = [];
  let lastFinite: number | undefined;
  let sent = '[]';
  /** Whether the step's own gradients can stand for the loss's: not when weight penalties are added to it. */
  let reuseGradients = false;
  let tapped: { step: number; norms: Map<string, number> } | undefined;
  let counted: { epoch: number; counter: ConfusionCounter } | undefined;
  const due = (ctx: LoopContext, stepAfter: number): boolean =>
    schedule.every === 'epoch' ? stepAfter % ctx.info.batchesPerEpoch === 0 : typeof schedule.every === 'number' && stepAfter % schedule.every === 0;

  const publish = (ctx: LoopContext, list: TrainingDiagnostic[]): void => {
    const text = JSON.stringify(list);
    if (text === sent) return;
    sent = text;
    ctx.sink.diagnostics?.(list);
  };
  const evaluate = (ctx: LoopContext): void => {
    const nf = ctx.nonFiniteLoss;
    publish(ctx, diagnose({
      spec, epochs, batchesPerEpoch: ctx.info.batchesPerEpoch, ...(init ? { init } : {}), ...(latest ? { latest } : {}),
      ...(nf ? { nonFinite: { ...nf, ...(lastFinite !== undefined ? { lastFinite } : {}) } } : {}),
    }));
  };
  const measure = (ctx: LoopContext, when: StatsRecord['when']): void => {
    if (!collector) return;
    const reused: Reused = {};
    if (tapped?.step === ctx.step) reused.gradNorms = tapped.norms;
    // Only a pass that saw the whole validation set (another hook could have taken the tap).
    if (when === 'epoch' && counted?.epoch === ctx.epoch && counted.counter.rows === ctx.val?.n) reused.confusion = counted.counter.matrix;
    tapped = undefined;
    counted = undefined;
    const record = collector.collect(ctx.step, ctx.epoch, when, reused);
    if (when === 'init') init = record;
    latest = record;
    for (const part of splitRecord(record)) ctx.sink.stats?.(part);
  };

  return {
    begin(ctx) {
      if (!collecting || !ctx.trainData) return;
      const d = ctx.trainData;
      const n = Math.min(schedule.probe, d.n);
      const xWidth = d.x.length / d.n;
      // The first n training examples: a fixed batch, so that pictures are comparable over time.
      probe = {
        x: tf.tensor(d.x.subarray(0, n * xWidth), [n, ...d.xShape]),
        y: tf.tensor2d(d.y.subarray(0, n * d.yWidth), [n, d.yWidth]),
        n,
      };
      collector = new StatsCollector(spec, ctx.model, probe, ctx.val);
      reuseGradients = tf.tidy(() => ctx.model.calculateLosses().length) === 0;
      measure(ctx, 'init');
      evaluate(ctx);
    },
    beforeBatch(ctx) {
      if (!collector || !due(ctx, ctx.step + 1)) return;
      const step = ctx.step + 1;
      if (reuseGradients) ctx.tapGradients = (grads) => { tapped = { step, norms: gradientNorms(grads) }; };
      const val = ctx.val;
      if (schedule.every === 'epoch' && val && wantsConfusion(spec)) {
        const counter = new ConfusionCounter(val.y.shape[1] ?? 1);
        ctx.tapValidation = (y, p) => counter.add(y, p);
        counted = { epoch: ctx.epoch, counter };
      }
    },
    afterBatch(ctx, point: BatchPoint) {
      lastFinite = point.loss;
      if (typeof schedule.every === 'number' && ctx.step % schedule.every === 0) {
        measure(ctx, 'step');
        evaluate(ctx);
      }
    },
    afterEpoch(ctx, point) {
      epochs.push(point);
      if (schedule.every === 'epoch') measure(ctx, 'epoch');
      evaluate(ctx);
    },
    end(ctx) {
      if (ctx.nonFiniteLoss) evaluate(ctx);
      collector?.dispose();
      tapped = undefined;
      counted = undefined;
      if (probe) tf.dispose([probe.x, probe.y]);
      probe = undefined;
      collector = undefined;
    },
  };
}
