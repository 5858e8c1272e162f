// `train.statistics` in the model file: when the inside of the network is measured.
//   statistics: epoch            at init, then after every epoch (the default)
//   statistics: 50               at init, then every 50 optimizer steps
//   statistics: off              never (no cost at all)
//   statistics: {every: epoch, probe: 32}   probe: examples in the fixed probe batch
import type { Checker } from './check';
import type { SrcNode } from './source';

export interface StatsSchedule {
  every: 'epoch' | 'off' | number;
  probe: number;
}

// 32 probe examples: the fixed batch whose activations and feature maps are shown (a forward pass
// of one batch). Gradients come from the training step itself; the probe's only at init, with weight
// penalties or in data-parallel training (engine/stats/insideHook.ts).
export const DEFAULT_STATS_SCHEDULE: StatsSchedule = { every: 'epoch', probe: 32 };

const FORMS = "'epoch', 'off', a number of steps, or {every: epoch, probe: 32}";

export function readStatistics(c: Checker, node: SrcNode): StatsSchedule | undefined {
  if (node.kind === 'scalar') {
    const every = readEvery(c, node);
    return every === undefined ? undefined : { ...DEFAULT_STATS_SCHEDULE, every };
  }
  const entries = c.map(node, 'train.statistics');
  if (!entries) return undefined;
  c.keys(entries, ['every', 'probe'], 'train.statistics');
  const everyNode = entries.find((e) => e.key === 'every')?.value;
  const probeNode = entries.find((e) => e.key === 'probe')?.value;
  const every = everyNode ? readEvery(c, everyNode) : DEFAULT_STATS_SCHEDULE.every;
  const probe = probeNode ? c.number(probeNode, 'train.statistics.probe', { integer: true, min: 1, max: 1024 }) : DEFAULT_STATS_SCHEDULE.probe;
  return every === undefined || probe === undefined ? undefined : { every, probe };
}

function readEvery(c: Checker, node: SrcNode): StatsSchedule['every'] | undefined {
  const v = node.kind === 'scalar' ? node.value : undefined;
  // YAML reads a bare `off` as the string 'off' (YAML 1.2) but `false` as a boolean: take both.
  if (v === 'epoch' || v === 'off') return v;
  if (v === false) return 'off';
  if (typeof v === 'number') return c.number(node, 'train.statistics', { integer: true, min: 1, max: 1_000_000 });
  c.report(node.range, `train.statistics must be ${FORMS}.`, 'wrong-type');
  return undefined;
}
