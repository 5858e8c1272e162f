// Learning-rate schedules as pure functions of the step: the training hook, the hover preview and
// the tests all compute the same numbers. `step` is the 0-based index of the optimizer step about to
// run; lengths written in epochs become steps with the run's batches per epoch. The main curve starts
// after the warmup, so its own step count is `step - warmupSteps`.
import type { Length, MainSchedule, ScheduleSpec } from '../../model/language/scheduleSpec';

export interface ScheduleRun {
  /** train.learningRate: the start of every curve (the peak of oneCycle, the bottom of cyclic). */
  baseLearningRate: number;
  stepsPerEpoch: number;
  totalSteps: number;
}

export const toSteps = (l: Length, run: ScheduleRun): number => Math.max(1, l.unit === 'steps' ? l.value : Math.round(l.value * run.stepsPerEpoch));

export function warmupSteps(spec: ScheduleSpec, run: ScheduleRun): number {
  return spec.warmup ? toSteps(spec.warmup.length, run) : 0;
}

/** The planned learning rate of a step (reduce-on-plateau, which reacts to metrics, is applied on top). */
export function plannedLearningRate(spec: ScheduleSpec, run: ScheduleRun, step: number): number {
  const w = warmupSteps(spec, run);
  const main = (t: number): number => (spec.main ? mainRate(spec.main, { ...run, totalSteps: Math.max(1, run.totalSteps - w) }, t) : run.baseLearningRate);
  if (step < w && spec.warmup) {
    // Gradual (Goyal et al. 2017): linear ramp ending at the curve's first value; constant: a fixed fraction.
    return spec.warmup.mode === 'gradual' ? (main(0) * (step + 1)) / w : run.baseLearningRate * spec.warmup.factor;
  }
  return main(step - w);
}

const cosineShape = (p: number, alpha: number): number => (1 - alpha) * 0.5 * (1 + Math.cos(Math.PI * p)) + alpha;
/** Cosine interpolation from `from` (p = 0) to `to` (p = 1), as PyTorch's OneCycleLR anneals. */
const cosineFromTo = (from: number, to: number, p: number): number => to + ((from - to) / 2) * (1 + Math.cos(Math.PI * p));

export function mainRate(s: MainSchedule, run: ScheduleRun, t: number): number {
  const lr = run.baseLearningRate;
  switch (s.kind) {
    case 'stepDecay':
      return lr * s.factor ** Math.floor(t / toSteps(s.every, run));
    case 'exponentialDecay': {
      const p = t / toSteps(s.every, run);
      return lr * s.decayRate ** (s.staircase ? Math.floor(p) : p);
    }
    case 'cosineDecay': {
      const len = s.length ? toSteps(s.length, run) : run.totalSteps;
      return lr * cosineShape(Math.min(t, len) / len, s.alpha);
    }
    case 'cosineDecayRestarts': {
      // SGDR (Loshchilov & Hutter 2017) with Keras' names: cycle i lasts first * tMul^i steps and peaks at lr * mMul^i.
      let len = toSteps(s.first, run);
      let start = 0;
      let i = 0;
      while (t >= start + len) {
        start += len;
        len = Math.max(1, Math.round(len * s.tMul));
        i++;
      }
      return lr * s.mMul ** i * cosineShape((t - start) / len, s.alpha);
    }
    case 'cyclic': {
      // Smith 2017 (CLR): a triangle between lr and maxLearningRate, 2 * stepSize steps a cycle.
      const size = toSteps(s.stepSize, run);
      const cycle = Math.floor(1 + t / (2 * size));
      const x = Math.abs(t / size - 2 * cycle + 1);
      const scale = s.mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : s.mode === 'exp_range' ? s.gamma ** t : 1;
      return lr + (s.maxLearningRate - lr) * Math.max(0, 1 - x) * scale;
    }
    case 'oneCycle': {
      // Smith & Topin 2018, PyTorch's cosine version: lr/divFactor up to lr over pctStart of the run,
      // then down to lr/divFactor/finalDivFactor.
      const len = s.length ? toSteps(s.length, run) : run.totalSteps;
      const up = Math.max(1, Math.round(s.pctStart * len));
      const initial = lr / s.divFactor;
      if (t < up) return cosineFromTo(initial, lr, t / up);
      return cosineFromTo(lr, initial / s.finalDivFactor, Math.min(1, (t - up) / Math.max(1, len - up)));
    }
  }
}

/** Step counts (steps done, from the start of the run) at which a cycle of the schedule ends: where
 *  the rate is back at its bottom and a snapshot ensemble takes its snapshot. */
export function cycleEnds(spec: ScheduleSpec, run: ScheduleRun): number[] {
  const w = warmupSteps(spec, run);
  const s = spec.main;
  const ends: number[] = [];
  if (s?.kind === 'cyclic') {
    const cycle = 2 * toSteps(s.stepSize, run);
    for (let t = cycle; w + t <= run.totalSteps; t += cycle) ends.push(w + t);
  } else if (s?.kind === 'cosineDecayRestarts') {
    let len = toSteps(s.first, run);
    for (let t = len; w + t <= run.totalSteps; len = Math.max(1, Math.round(len * s.tMul)), t += len) ends.push(w + t);
  }
  return ends;
}

/** The whole planned curve, one value per step (the hover's preview, the panel's plan). */
export function plannedCurve(spec: ScheduleSpec, run: ScheduleRun): Float64Array {
  return Float64Array.from({ length: run.totalSteps }, (_, step) => plannedLearningRate(spec, run, step));
}
