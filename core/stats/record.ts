// The statistics part of a run record: stats.jsonl (append-only, one StatsRecord part a line, so
// a record cut at any byte reads back as a prefix) and diagnostics.json (the last list, replaced
// atomically). Beside run.json and metrics.jsonl in the run folder (core/runs/runStore.ts).
import { appendFileSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import { isStatsRecord, isTrainingDiagnostic } from '../protocol/statsShapes';
import { mergeParts } from './budget';

export const STATS_FILE = 'stats.jsonl';
export const DIAGNOSTICS_FILE = 'diagnostics.json';

export class StatsRecorder {
  private failed = false;

  constructor(
    readonly dir: string,
    private readonly onWriteError: (message: string) => void = () => {},
  ) {}

  append(record: StatsRecord): void {
    this.safely(() => appendFileSync(join(this.dir, STATS_FILE), JSON.stringify(record) + '\n'));
  }

  writeDiagnostics(list: TrainingDiagnostic[]): void {
    this.safely(() => {
      const path = join(this.dir, DIAGNOSTICS_FILE);
      writeFileSync(`${path}.tmp`, JSON.stringify(list));
      renameSync(`${path}.tmp`, path);
    });
  }

  private safely(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!this.failed) this.onWriteError(`Model Lab could not write statistics in ${this.dir}: ${(e as Error).message}.`);
      this.failed = true;
    }
  }
}

/** The statistics of a recorded run, parts merged; a torn or damaged line ends the read. */
export function readStats(dir: string): StatsRecord[] {
  let text = '';
  try {
    text = readFileSync(join(dir, STATS_FILE), 'utf8');
  } catch {
    return [];
  }
  const parts: StatsRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      break; // a torn line can only be the last one written
    }
    if (isStatsRecord(v)) parts.push(v);
  }
  return mergeParts(parts);
}

export function readDiagnostics(dir: string): TrainingDiagnostic[] {
  try {
    const v: unknown = JSON.parse(readFileSync(join(dir, DIAGNOSTICS_FILE), 'utf8'));
    return Array.isArray(v) ? v.filter(isTrainingDiagnostic) : [];
  } catch {
    return [];
  }
}
