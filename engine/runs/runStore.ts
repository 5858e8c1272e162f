// The run record: one folder per run under <workspace>/.modellab/runs/, plain files that survive
// crashes. metrics.jsonl is append-only, one JSON object per line, so a record cut at any byte
// still reads as a valid prefix (the reader drops a torn last line).
import { appendFileSync, mkdirSync, readdirSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { readRecordFile } from './readRecordFile';
import { basename, join } from 'node:path';
import type { BatchPoint, EpochPoint, RunInfo, RunSnapshot, RunSummary } from '../../protocol/run';

export const RUNS_DIR = join('.modellab', 'runs');
/** Names the process recording a run, so a later window can tell one that died with it (interruptedRuns.ts). */
export const OWNER_FILE = 'owner.json';

type MetricLine = ({ kind: 'batch' } & BatchPoint) | ({ kind: 'epoch' } & EpochPoint);

/** `<yyyymmdd-hhmmss>-<name>`, made unique within the folder. */
export function newRunDir(root: string, name: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const safe = name.replace(/[^A-Za-z0-9_.-]+/g, '_').slice(0, 60) || 'run';
  const base = join(root, RUNS_DIR);
  mkdirSync(base, { recursive: true });
  for (let i = 0; ; i++) {
    const dir = join(base, `${stamp}-${safe}${i ? `-${i}` : ''}`);
    try {
      mkdirSync(dir);
      return dir;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || i > 1000) throw e;
    }
  }
}

export class RunRecorder {
  private failed = false;
  private ownerWritten = false;

  constructor(
    readonly dir: string,
    /** Told once when the disk refuses a write; training goes on regardless. */
    private readonly onWriteError: (message: string) => void = () => {},
  ) {}

  writeModel(source: string, modelFile: string): void {
    const ext = modelFile.endsWith('.json') ? 'json' : 'yaml';
    this.safely(() => writeFileSync(join(this.dir, `model.${ext}`), source));
  }

  writeInfo(info: RunInfo): void {
    if (!this.ownerWritten) {
      this.ownerWritten = true;
      this.safely(() => writeFileSync(join(this.dir, OWNER_FILE), JSON.stringify({ pid: process.pid, host: hostname() })));
    }
    this.safely(() => atomicWrite(join(this.dir, 'run.json'), JSON.stringify(info, null, 2)));
  }

  append(batches: BatchPoint[], epochs: EpochPoint[]): void {
    if (batches.length === 0 && epochs.length === 0) return;
    const lines = [
      ...batches.map((b) => JSON.stringify({ kind: 'batch', ...b })),
      ...epochs.map((e) => JSON.stringify({ kind: 'epoch', ...e })),
    ];
    this.safely(() => appendFileSync(join(this.dir, 'metrics.jsonl'), lines.join('\n') + '\n'));
  }

  writeSummary(summary: RunSummary): void {
    this.safely(() => atomicWrite(join(this.dir, 'summary.json'), JSON.stringify(summary, null, 2)));
  }

  private safely(write: () => void): void {
    try {
      write();
    } catch (e) {
      if (!this.failed) this.onWriteError(`Model Lab could not write the run record in ${this.dir}: ${(e as Error).message}. Training goes on; the record may be incomplete.`);
      this.failed = true;
    }
  }
}

function atomicWrite(path: string, text: string): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

const JSON_LIMIT = 16 * 2 ** 20;
/** A million epochs of metrics; a longer record reads as its first 256 MB (a valid prefix). */
const METRICS_LIMIT = 256 * 2 ** 20;

/** Reads a run folder back; never throws on a damaged record, returns undefined if it has no run.json. */
export function readRun(dir: string): RunSnapshot | undefined {
  let info: RunInfo;
  try {
    info = JSON.parse(readRecordFile(join(dir, 'run.json'), JSON_LIMIT) ?? '') as RunInfo;
    if (typeof info !== 'object' || info === null || typeof info.id !== 'string') return undefined;
  } catch {
    return undefined;
  }
  const batches: BatchPoint[] = [];
  const epochs: EpochPoint[] = [];
  let text = '';
  try {
    text = readRecordFile(join(dir, 'metrics.jsonl'), METRICS_LIMIT) ?? '';
  } catch {
    /* no metrics yet */
  }
  for (const line of text.split('\n')) {
    if (!line) continue;
    let m: MetricLine;
    try {
      m = JSON.parse(line) as MetricLine;
    } catch {
      break; // a torn line can only be the last one written
    }
    if (m?.kind === 'batch' && typeof m.loss === 'number') batches.push(stripKind(m));
    else if (m?.kind === 'epoch' && typeof m.loss === 'number') epochs.push(stripKind(m));
  }
  let summary: RunSummary | undefined;
  try {
    summary = JSON.parse(readRecordFile(join(dir, 'summary.json'), JSON_LIMIT) ?? '') as RunSummary;
  } catch {
    summary = undefined;
  }
  // No summary means the run never finished: the process died with it (or, rarely, it still trains
  // in another window; interruptedRuns.ts tells the two apart and writes the summary).
  const status = summary?.status ?? 'failed';
  const final = summary ?? { status: 'failed' as const, endedAt: '', durationMs: epochs[epochs.length - 1]?.elapsedMs ?? 0, epochsDone: epochs.length,
    error: `The run ended without a summary: it was interrupted after ${epochs.length} epoch${epochs.length === 1 ? '' : 's'} (the window was reloaded or closed, or the process training it stopped). The epochs recorded so far are kept.` };
  return { info, status, batches, epochs, summary: final, runDir: dir };
}

function stripKind<T extends { kind: string }>(m: T): Omit<T, 'kind'> {
  const { kind: _kind, ...rest } = m;
  return rest;
}

/** Run folders under a workspace root, newest first. */
export function listRuns(root: string): string[] {
  const base = join(root, RUNS_DIR);
  if (!existsSync(base)) return [];
  return readdirSync(base)
    .filter((d) => !d.startsWith('.'))
    .sort()
    .reverse()
    .map((d) => join(base, d));
}

export const runName = (dir: string): string => basename(dir);
