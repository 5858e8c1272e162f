// train.schedule: a main curve (at most one), an optional warmup before it and an optional
// reduce-on-plateau on top. `schedule: cosineDecay` takes the defaults.
import type { Checker } from './check';
import type { Range } from './diagnostic';
import { num, readOptions, type OptionRule, type ReadOptions } from './readOptions';
import {
  CYCLIC_MODES, MAIN_SCHEDULES, MONITORS, WARMUP_MODES,
  type CyclicMode, type Length, type MainSchedule, type Monitor, type PlateauSpec, type ScheduleSpec, type WarmupSpec,
} from './scheduleSpec';
import type { SrcNode } from './source';

const fraction = { type: 'number', rule: { min: 0, max: 1 } } as const;
const below1 = { type: 'number', rule: { above: 0, below: 1 } } as const;
const length = { type: 'length' } as const;

const MAIN_OPTIONS: Record<MainSchedule['kind'], Record<string, OptionRule>> = {
  stepDecay: { factor: below1, every: length },
  exponentialDecay: { decayRate: below1, every: length, staircase: { type: 'bool' } },
  cosineDecay: { alpha: fraction, length },
  cosineDecayRestarts: { first: length, tMul: { type: 'number', rule: { min: 1, max: 10 } }, mMul: { type: 'number', rule: { above: 0, max: 1 } }, alpha: fraction },
  cyclic: { mode: { type: 'enum', values: CYCLIC_MODES }, maxLearningRate: { type: 'number', rule: { above: 0, max: 100 } }, stepSize: length, gamma: { type: 'number', rule: { above: 0, max: 1 } } },
  oneCycle: { pctStart: below1, divFactor: { type: 'number', rule: { min: 1 } }, finalDivFactor: { type: 'number', rule: { min: 1 } }, length },
};

const WARMUP_OPTIONS: Record<string, OptionRule> = { mode: { type: 'enum', values: WARMUP_MODES }, length, factor: { type: 'number', rule: { above: 0, max: 1 } } };

const PLATEAU_OPTIONS: Record<string, OptionRule> = {
  monitor: { type: 'enum', values: MONITORS }, factor: below1, patience: { type: 'number', rule: { integer: true, min: 0, max: 100_000 } },
  minDelta: { type: 'number', rule: { min: 0 } }, cooldown: { type: 'number', rule: { integer: true, min: 0, max: 100_000 } },
  minLearningRate: { type: 'number', rule: { min: 0 } },
};

const KEYS = [...MAIN_SCHEDULES, 'warmup', 'reduceOnPlateau'];

export function readSchedule(c: Checker, node: SrcNode, keyRange: Range, learningRate: number | undefined): ScheduleSpec | undefined {
  const spec: ScheduleSpec = { range: keyRange };
  if (node.kind === 'scalar' && typeof node.value === 'string') {
    const kind = c.oneOf(node, 'train.schedule', MAIN_SCHEDULES);
    if (!kind) return undefined;
    if (kind === 'stepDecay' || kind === 'exponentialDecay' || kind === 'cosineDecayRestarts' || kind === 'cyclic') {
      c.report(node.range, `${kind} needs options, e.g. ${EXAMPLES[kind]}.`, 'missing-key');
      return undefined;
    }
    const main = readMain(c, kind, { kind: 'scalar', value: null, range: node.range }, node.range, learningRate);
    return main ? { ...spec, main } : undefined;
  }
  const entries = c.map(node, 'train.schedule');
  if (!entries) return undefined;
  c.keys(entries, KEYS, 'train.schedule');
  let ok = true;
  for (const e of entries) {
    if (e.key === 'warmup') {
      const w = readOptions(c, e.value, 'warmup', WARMUP_OPTIONS);
      if (w && !w.values['length']) c.report(e.keyRange, 'warmup needs a length: {epochs: 2} or {steps: 100}.', 'missing-key');
      if (w?.values['length']) spec.warmup = warmup(w);
      else ok = false;
    } else if (e.key === 'reduceOnPlateau') {
      const p = readOptions(c, e.value, 'reduceOnPlateau', PLATEAU_OPTIONS);
      if (p) spec.reduceOnPlateau = plateau(p);
      else ok = false;
    } else if ((MAIN_SCHEDULES as readonly string[]).includes(e.key)) {
      if (spec.main) {
        c.report(e.keyRange, `train.schedule has one main curve; '${spec.main.kind}' is already set.`, 'duplicate-key');
        ok = false;
        continue;
      }
      const main = readMain(c, e.key as MainSchedule['kind'], e.value, e.keyRange, learningRate);
      if (main) spec.main = main;
      else ok = false;
    }
  }
  return ok ? spec : undefined;
}

const EXAMPLES: Record<MainSchedule['kind'], string> = {
  stepDecay: '{stepDecay: {factor: 0.5, epochs: 10}}',
  exponentialDecay: '{exponentialDecay: {decayRate: 0.9, epochs: 1}}',
  cosineDecay: '{cosineDecay: {alpha: 0.01}}',
  cosineDecayRestarts: '{cosineDecayRestarts: {epochs: 5, tMul: 2}}',
  cyclic: '{cyclic: {maxLearningRate: 0.1, epochs: 2}}',
  oneCycle: '{oneCycle: {pctStart: 0.3}}',
};

function readMain(c: Checker, kind: MainSchedule['kind'], node: SrcNode, keyRange: Range, learningRate: number | undefined): MainSchedule | undefined {
  const r = readOptions(c, node, kind, MAIN_OPTIONS[kind]);
  if (!r) return undefined;
  const v = r.values;
  const len = (key: string): Length | undefined => v[key] as Length | undefined;
  const needLength = (key: string): Length | undefined => {
    const l = len(key);
    if (!l) c.report(keyRange, `${kind} needs a length in epochs or steps, e.g. ${EXAMPLES[kind]}.`, 'missing-key');
    return l;
  };
  switch (kind) {
    case 'stepDecay': {
      const every = needLength('every');
      return every && { kind, factor: num(v.factor, 0.5), every };
    }
    case 'exponentialDecay': {
      const every = needLength('every');
      return every && { kind, decayRate: num(v.decayRate, 0.96), every, staircase: v.staircase === true };
    }
    case 'cosineDecay':
      return { kind, alpha: num(v.alpha, 0), ...(len('length') ? { length: len('length') as Length } : {}) };
    case 'cosineDecayRestarts': {
      const first = needLength('first');
      return first && { kind, first, tMul: num(v.tMul, 2), mMul: num(v.mMul, 1), alpha: num(v.alpha, 0) };
    }
    case 'cyclic': {
      const stepSize = needLength('stepSize');
      const max = v.maxLearningRate;
      if (typeof max !== 'number') {
        c.report(keyRange, `cyclic needs maxLearningRate, the top of each cycle (the bottom is train.learningRate), e.g. ${EXAMPLES.cyclic}.`, 'missing-key');
        return undefined;
      }
      if (learningRate !== undefined && max <= learningRate) {
        c.report(r.ranges.maxLearningRate ?? keyRange, `cyclic.maxLearningRate (${max}) must be above train.learningRate (${learningRate}), the bottom of each cycle.`, 'out-of-range');
        return undefined;
      }
      return stepSize && { kind, mode: (v.mode as CyclicMode | undefined) ?? 'triangular', maxLearningRate: max, stepSize, gamma: num(v.gamma, 1) };
    }
    case 'oneCycle':
      return {
        kind, pctStart: num(v.pctStart, 0.3), divFactor: num(v.divFactor, 25), finalDivFactor: num(v.finalDivFactor, 1e4),
        ...(len('length') ? { length: len('length') as Length } : {}),
      };
  }
}

function warmup(r: ReadOptions): WarmupSpec {
  const v = r.values;
  return { mode: (v.mode as WarmupSpec['mode'] | undefined) ?? 'gradual', length: v.length as Length, factor: num(v.factor, 0.1) };
}

function plateau(r: ReadOptions): PlateauSpec {
  const v = r.values;
  return {
    monitor: (v.monitor as Monitor | undefined) ?? 'valLoss', factor: num(v.factor, 0.1), patience: num(v.patience, 10),
    minDelta: num(v.minDelta, 1e-4), cooldown: num(v.cooldown, 0), minLearningRate: num(v.minLearningRate, 0),
  };
}
