// The runs view's model: every run record of the workspace with what the view shows about it
// (status, best validation metric, duration, tags), grouped by model file. No vscode here so the
// grouping and the wording are unit-tested.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochPoint, RunSnapshot } from '../../protocol/run';
import { readRunMeta, type RunMeta } from './runMeta';
import { listRuns, readRun } from './runStore';

export interface RunEntry {
  dir: string;
  run: RunSnapshot;
  meta: RunMeta;
  best?: BestMetric;
}

export interface BestMetric {
  metric: 'valAccuracy' | 'valLoss' | 'accuracy' | 'loss';
  value: number;
  epoch: number;
}

/** The best epoch by validation accuracy, else validation loss, else the training values. */
export function bestMetric(epochs: EpochPoint[]): BestMetric | undefined {
  for (const [metric, better] of [['valAccuracy', 1], ['valLoss', -1], ['accuracy', 1], ['loss', -1]] as const) {
    let best: BestMetric | undefined;
    for (const e of epochs) {
      const v = e[metric];
      if (v === undefined || !Number.isFinite(v)) continue;
      if (!best || better * (v - best.value) > 0) best = { metric, value: v, epoch: e.epoch };
    }
    if (best) return best;
  }
  return undefined;
}

const LABEL: Record<BestMetric['metric'], string> = { valAccuracy: 'val acc', valLoss: 'val loss', accuracy: 'acc', loss: 'loss' };

export function formatBest(b: BestMetric | undefined): string {
  if (!b) return '';
  return `${LABEL[b.metric]} ${b.metric.endsWith('ccuracy') ? b.value.toFixed(3) : b.value.toPrecision(3)}`;
}

export function formatDurationShort(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return m < 60 ? `${m} min ${Math.round((ms % 60_000) / 1000)} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** "completed · val acc 0.988 · 3.1 s · #baseline" */
/** What the Runs view writes after a run's name; short, so it fits the default sidebar width. The
 *  status icon says completed; any other status is written out. */
export function describeRun(e: RunEntry): string {
  const parts: string[] = e.run.status === 'completed' ? [] : [e.run.status];
  const best = formatBest(e.best);
  if (best) parts.push(best);
  const ms = e.run.summary?.durationMs ?? e.run.epochs[e.run.epochs.length - 1]?.elapsedMs;
  if (ms !== undefined) parts.push(formatDurationShort(ms));
  if (e.meta.tags.length) parts.push(e.meta.tags.map((t) => `#${t}`).join(' '));
  return parts.join(' · ');
}

/** The run's name and when it started: the time for today's runs, else the date and time. */
export function runLabel(e: RunEntry, today = new Date()): string {
  if (e.meta.displayName) return e.meta.displayName;
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(e.dir.split(/[\\/]/).pop() ?? '');
  if (!m) return e.run.info.name;
  const [, y, mo, d, h, mi, sec] = m;
  const sameDay = Number(y) === today.getUTCFullYear() && Number(mo) === today.getUTCMonth() + 1 && Number(d) === today.getUTCDate();
  return `${e.run.info.name} ${sameDay ? `${h}:${mi}:${sec}` : `${mo}-${d} ${h}:${mi}`}`;
}

/** Reads records, caching each by the size and time of its files so a refresh re-reads only what changed. */
export class RunCatalog {
  private readonly cache = new Map<string, { key: string; entry: RunEntry }>();

  read(roots: string[]): RunEntry[] {
    const seen = new Set<string>();
    const out: RunEntry[] = [];
    for (const dir of roots.flatMap((r) => listRuns(r))) {
      seen.add(dir);
      const key = runFilesKey(dir);
      const cached = this.cache.get(dir);
      if (cached && cached.key === key) {
        out.push(cached.entry);
        continue;
      }
      const run = readRun(dir);
      if (!run) continue;
      const best = bestMetric(run.epochs);
      const entry: RunEntry = { dir, run, meta: readRunMeta(dir), ...(best ? { best } : {}) };
      this.cache.set(dir, { key, entry });
      out.push(entry);
    }
    for (const dir of this.cache.keys()) if (!seen.has(dir)) this.cache.delete(dir);
    return out;
  }
}

/** Changes whenever one of a run's record files does (its size or time): a cache key for what is read from them. */
export function runFilesKey(dir: string): string {
  return ['run.json', 'metrics.jsonl', 'summary.json', 'meta.json'].map((f) => {
    try {
      const s = statSync(join(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return '-';
    }
  }).join('|');
}

export interface RunGroup {
  modelFile: string;
  runs: RunEntry[];
}

/** Groups by model file (most recent activity first); within a group pinned runs first, then newest. */
export function groupRuns(entries: RunEntry[], showHidden: boolean): RunGroup[] {
  const groups = new Map<string, RunEntry[]>();
  for (const e of entries) {
    if (e.meta.hidden && !showHidden) continue;
    const key = e.run.info.modelFile;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const newest = (g: RunEntry[]) => g.reduce((m, e) => (e.run.info.startedAt > m ? e.run.info.startedAt : m), '');
  return [...groups.entries()]
    .map(([modelFile, runs]) => ({ modelFile, runs: runs.sort((a, b) => Number(b.meta.pinned) - Number(a.meta.pinned) || b.run.info.startedAt.localeCompare(a.run.info.startedAt)) }))
    .sort((a, b) => newest(b.runs).localeCompare(newest(a.runs)));
}
