// The learning-rate schedule and the callbacks of train, as read from the model file.
import type { Range } from './diagnostic';

/** A length in the model file: `epochs: 5` or `steps: 200`. */
export interface Length {
  unit: 'epochs' | 'steps';
  value: number;
}

export const CYCLIC_MODES = ['triangular', 'triangular2', 'exp_range'] as const;
export type CyclicMode = (typeof CYCLIC_MODES)[number];

/** The main curve. Every length counts from the end of the warmup. */
export type MainSchedule =
  | { kind: 'stepDecay'; factor: number; every: Length }
  | { kind: 'exponentialDecay'; decayRate: number; every: Length; staircase: boolean }
  | { kind: 'cosineDecay'; alpha: number; length?: Length }
  | { kind: 'cosineDecayRestarts'; first: Length; tMul: number; mMul: number; alpha: number }
  | { kind: 'cyclic'; mode: CyclicMode; maxLearningRate: number; stepSize: Length; gamma: number }
  | { kind: 'oneCycle'; pctStart: number; divFactor: number; finalDivFactor: number; length?: Length };

export const MAIN_SCHEDULES = ['stepDecay', 'exponentialDecay', 'cosineDecay', 'cosineDecayRestarts', 'cyclic', 'oneCycle'] as const;

export const WARMUP_MODES = ['gradual', 'constant'] as const;

export interface WarmupSpec {
  /** gradual: linear from lr/steps up to the schedule's first value; constant: lr * factor throughout. */
  mode: (typeof WARMUP_MODES)[number];
  length: Length;
  factor: number;
}

export const MONITORS = ['valLoss', 'loss', 'valAccuracy', 'accuracy'] as const;
export type Monitor = (typeof MONITORS)[number];

export interface PlateauSpec {
  monitor: Monitor;
  factor: number;
  patience: number;
  minDelta: number;
  cooldown: number;
  minLearningRate: number;
}

export interface ScheduleSpec {
  main?: MainSchedule;
  warmup?: WarmupSpec;
  reduceOnPlateau?: PlateauSpec;
  /** The `schedule` key, where the hover shows the curve. */
  range: Range;
}

export interface EarlyStoppingSpec {
  monitor: Monitor;
  patience: number;
  minDelta: number;
  restoreBestWeights: boolean;
}

export interface CheckpointSpec {
  monitor: Monitor;
  save: 'best' | 'last' | 'both';
}

export interface SnapshotEnsembleSpec {
  /** How many of the latest snapshots the ensemble averages. */
  keep: number;
}

export interface CallbacksSpec {
  earlyStopping?: EarlyStoppingSpec;
  checkpoint?: CheckpointSpec;
  snapshotEnsemble?: SnapshotEnsembleSpec;
}

/** Lower is better for losses, higher for accuracies. */
export const higherIsBetter = (m: Monitor): boolean => m === 'valAccuracy' || m === 'accuracy';
