// What an inside panel shows: a run of this session (live, statistics as they arrive) or a run read
// back from its record folder (run.json, stats.jsonl, diagnostics.json; every line validated by
// engine/stats/record.ts). Free of the vscode API so the reading path is unit-tested.
import { basename } from 'node:path';
import type { RunSnapshot } from '../protocol/run';
import type { StatsRecord, TrainingDiagnostic } from '../protocol/stats';
import { readRunMeta } from '../engine/runs/runMeta';
import { readRun } from '../engine/runs/runStore';
import { readDiagnostics, readStats } from '../engine/stats/record';
import type { TrainingRun } from './trainingRun';

export type Source = { run: TrainingRun } | { recorded: RunSnapshot; records: StatsRecord[]; diagnostics: TrainingDiagnostic[] };

export const runDirOf = (source: Source): string | undefined => ('run' in source ? source.run.snapshot.runDir : source.recorded.runDir);

/** A run record read back whole; undefined when its run.json is missing or damaged. */
export function recordedAt(dir: string): Extract<Source, { recorded: RunSnapshot }> | undefined {
  const recorded = readRun(dir);
  return recorded ? { recorded, records: readStats(dir), diagnostics: readDiagnostics(dir) } : undefined;
}

/** "digits-cnn 20261126-162005" (or the name the user gave it): which run a selected panel shows. */
export function runTitle(source: Source): string {
  const snap = 'run' in source ? source.run.snapshot : source.recorded;
  if (!snap.runDir) return snap.info.name;
  return readRunMeta(snap.runDir).displayName ?? `${snap.info.name} ${basename(snap.runDir).slice(0, 15)}`;
}
