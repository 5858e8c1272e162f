// train.callbacks: what tfjs lacks, with Keras' option names: earlyStopping, checkpoint,
// snapshotEnsemble (which needs a schedule with cycles to take its snapshots at).
import type { Checker } from './check';
import type { MapEntry, SrcNode } from './source';
import { num, readOptions, type OptionRule } from './readOptions';
import { MONITORS, type CallbacksSpec, type Monitor, type ScheduleSpec } from './scheduleSpec';

const monitor = { type: 'enum', values: MONITORS } as const;
const count = { type: 'number', rule: { integer: true, min: 0, max: 100_000 } } as const;

const OPTIONS: Record<keyof CallbacksSpec, Record<string, OptionRule>> = {
  earlyStopping: { monitor, patience: count, minDelta: { type: 'number', rule: { min: 0 } }, restoreBestWeights: { type: 'bool' } },
  checkpoint: { monitor, save: { type: 'enum', values: ['best', 'last', 'both'] } },
  snapshotEnsemble: { keep: { type: 'number', rule: { integer: true, min: 2, max: 20 } } },
};

export function readCallbacks(c: Checker, node: SrcNode, schedule: ScheduleSpec | undefined): CallbacksSpec | undefined {
  const entries = c.map(node, 'train.callbacks');
  if (!entries) return undefined;
  c.keys(entries, Object.keys(OPTIONS), 'train.callbacks');
  const spec: CallbacksSpec = {};
  let ok = true;
  for (const e of entries as MapEntry[]) {
    const table = OPTIONS[e.key as keyof CallbacksSpec];
    if (!table) continue;
    const r = readOptions(c, e.value, e.key, table);
    if (!r) {
      ok = false;
      continue;
    }
    const v = r.values;
    const mon = (v.monitor as Monitor | undefined) ?? 'valLoss';
    if (e.key === 'earlyStopping') spec.earlyStopping = { monitor: mon, patience: num(v.patience, 0), minDelta: num(v.minDelta, 0), restoreBestWeights: v.restoreBestWeights === true };
    else if (e.key === 'checkpoint') spec.checkpoint = { monitor: mon, save: (v.save as 'best' | 'last' | 'both' | undefined) ?? 'best' };
    else {
      const kind = schedule?.main?.kind;
      if (kind !== 'cyclic' && kind !== 'cosineDecayRestarts') {
        c.report(e.keyRange, 'snapshotEnsemble takes a snapshot at the end of each learning-rate cycle: it needs train.schedule with cyclic or cosineDecayRestarts.', 'needs-schedule');
        ok = false;
        continue;
      }
      spec.snapshotEnsemble = { keep: num(v.keep, 5) };
    }
  }
  return ok ? spec : undefined;
}
