// The learning-rate range test (Smith 2015; fastai's lr_find): train from the model file's initial
// weights while the rate grows exponentially from min to max, one step each, and stop once the loss
// blows up. The loss-vs-rate curve falls, flattens, then explodes; a good rate is where it falls fastest.
import type { LrFinderRequest } from '../../protocol/worker';
import type { ModelSpec } from '../../model/language/model';
import { CancellationSource, type CancellationToken } from '../../common/cancellation';
import type { TrainingHook } from './hooks';

/** Smoothing of the loss (an exponential moving average, debiased as fastai does). */
const BETA = 0.98;
/** The sweep stops once the smoothed loss is this many times its minimum. */
const DIVERGED = 4;

export const sweepRate = (req: LrFinderRequest, step: number): number =>
  req.minLearningRate * (req.maxLearningRate / req.minLearningRate) ** (step / Math.max(1, req.steps - 1));

export interface LrFinderRun {
  spec: ModelSpec;
  token: CancellationToken;
  hook: TrainingHook;
}

/** The spec to sweep (no schedule or callbacks, enough epochs) and a hook that drives and stops it. */
export function lrFinderRun(spec: ModelSpec, req: LrFinderRequest, outer: CancellationToken): LrFinderRun {
  const stop = new CancellationSource();
  outer.onCancellationRequested(() => stop.cancel());
  const { schedule: _s, callbacks: _c, ...train } = spec.train;
  let avg = 0;
  let best = Infinity;
  const hook: TrainingHook = {
    beforeBatch(ctx) {
      ctx.learningRate = sweepRate(req, ctx.step);
    },
    afterBatch(ctx, point) {
      avg = BETA * avg + (1 - BETA) * point.loss;
      const smooth = avg / (1 - BETA ** ctx.step);
      best = Math.min(best, smooth);
      if (ctx.step >= req.steps || !Number.isFinite(smooth) || (ctx.step > 5 && smooth > DIVERGED * best)) stop.cancel();
    },
  };
  return { spec: { ...spec, train: { ...train, epochs: 1_000_000 } }, token: stop.token, hook };
}

export interface LrSuggestion {
  /** Where the smoothed loss falls fastest (per decade of rate): the suggested rate. */
  steepest: number;
  /** The rate at the lowest smoothed loss (too high to use: a tenth of it is fastai's other rule). */
  minimum: number;
  smoothed: number[];
}

export function suggestLearningRate(points: { learningRate: number; loss: number }[]): LrSuggestion | undefined {
  if (points.length < 5) return undefined;
  // A centred moving average: unlike the running average that decides when to stop, it does not
  // lag behind the curve, which would push the steepest point towards higher rates.
  const finite = points.map((p) => p.loss).filter(Number.isFinite);
  const cap = finite.length ? DIVERGED * Math.max(...finite) : 1;
  const losses = points.map((p) => (Number.isFinite(p.loss) ? Math.min(p.loss, cap) : cap));
  const k = Math.max(2, Math.round(points.length / 25));
  const smoothed = losses.map((_, i) => {
    const window = losses.slice(Math.max(0, i - k), i + k + 1);
    return window.reduce((a, b) => a + b, 0) / window.length;
  });
  let minAt = 0;
  smoothed.forEach((v, i) => {
    if (v < (smoothed[minAt] as number)) minAt = i;
  });
  // The first few points are noise from the smoothing's start; the slope is searched up to the minimum.
  const from = Math.min(Math.floor(points.length / 10), Math.max(0, minAt - 1));
  let steepAt = from;
  let steepest = Infinity;
  for (let i = from + 1; i <= minAt; i++) {
    const slope = ((smoothed[i] as number) - (smoothed[i - 1] as number)) / (Math.log10(points[i]!.learningRate) - Math.log10(points[i - 1]!.learningRate));
    if (slope < steepest) {
      steepest = slope;
      steepAt = i;
    }
  }
  return { steepest: points[steepAt]!.learningRate, minimum: points[minAt]!.learningRate, smoothed };
}
