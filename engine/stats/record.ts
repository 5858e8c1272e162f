// The statistics part of a run record: stats.jsonl (append-only, one StatsRecord part a line, so
// a record cut at any byte reads back as a prefix) and diagnostics.json (the last list, replaced
// atomically). Beside run.json and metrics.jsonl in the run folder (engine/runs/runStore.ts).
import { appendFileSync, readFileSync } from 'node:fs';
import { rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type StatsRecord, type TrainingDiagnostic, isStatsRecord, isTrainingDiagnostic } from '../../protocol/stats';
import { mergeParts } from '../../common/stats/budget';

export const STATS_FILE = 'stats.jsonl';
export const DIAGNOSTICS_FILE = 'diagnostics.json';

export class StatsRecorder {
  private failed = false;
  /** The newest diagnostics list not yet written (older ones it replaced are never written). */
  private pendingDiagnostics: string | undefined;
  private lastDiagnostics: string | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    private readonly onWriteError: (message: string) => void = () => {},
  ) {}

  append(record: StatsRecord): void {
    this.safely(() => appendFileSync(join(this.dir, STATS_FILE), JSON.stringify(record) + '\n'));
  }

  /**
   * Replaces diagnostics.json with `list`, asynchronously: the diagnostics come every epoch on the
   * extension host's thread, where a synchronous write + rename blocked the editor. Coalesced (one
   * write at a time; lists given meanwhile are replaced by the newest; an unchanged list is not
   * written again) and still atomic (a temp file renamed over the old one).
   */
  writeDiagnostics(list: TrainingDiagnostic[]): void {
    this.pendingDiagnostics = JSON.stringify(list);
    this.startWriting();
  }

  /** Resolves once every diagnostics list given so far is on disk (or failed to be written). */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private startWriting(): void {
    if (this.writing || this.pendingDiagnostics === undefined) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      this.startWriting(); // a list given between the loop's end and this callback
    });
  }

  private async drain(): Promise<void> {
    const path = join(this.dir, DIAGNOSTICS_FILE);
    while (this.pendingDiagnostics !== undefined) {
      const text = this.pendingDiagnostics;
      this.pendingDiagnostics = undefined;
      if (text === this.lastDiagnostics) continue;
      try {
        await writeFile(`${path}.tmp`, text);
        await rename(`${path}.tmp`, path);
        this.lastDiagnostics = text;
      } catch (e) {
        this.reportError(e);
      }
    }
  }

  private safely(write: () => void): void {
    try {
      write();
    } catch (e) {
      this.reportError(e);
    }
  }

  private reportError(e: unknown): void {
    if (!this.failed) this.onWriteError(`Model Lab could not write statistics in ${this.dir}: ${(e as Error).message}.`);
    this.failed = true;
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
