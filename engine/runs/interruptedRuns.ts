// Runs whose process died before they finished. A run's summary.json is written when it ends; a
// window reload or close, a crash or a kill of the extension host (or of `model-lab train`) takes the
// worker down before that, and the record would stay "unfinished" forever. Each record names the
// process training it (owner.json); when that process is gone, the record gets the summary it
// never got, saying the run was interrupted, with the epochs it holds. Records of a process that
// still lives (another window training) are left alone.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { RunSummary } from '../../protocol/run';
import { listRuns, OWNER_FILE, readRun, RunRecorder } from './runStore';

export interface RunOwner {
  pid: number;
  host: string;
}

/** What the user reads: what happened, that nothing recorded is lost, what to do. */
export function interruptedMessage(epochsDone: number, epochs: number): string {
  return `Interrupted after ${epochsDone} of ${epochs} epochs: the window was reloaded or closed (or the process training it stopped) before the run finished. ` +
    'The epochs recorded so far are kept; Train again to run it to the end.';
}

function readOwner(dir: string): RunOwner | undefined {
  try {
    const o = JSON.parse(readFileSync(join(dir, OWNER_FILE), 'utf8')) as Partial<RunOwner>;
    return typeof o.pid === 'number' && Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === 'string' ? { pid: o.pid, host: o.host } : undefined;
  } catch {
    return undefined;
  }
}

/** true: alive; false: gone; undefined: cannot tell (no owner recorded, or another machine's). */
export function ownerAlive(dir: string, isAlive: (pid: number) => boolean = pidAlive): boolean | undefined {
  const owner = readOwner(dir);
  if (!owner || owner.host !== hostname()) return undefined;
  return isAlive(owner.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Run folders under `root` that have a run.json but no summary.json. */
export function unfinishedRuns(root: string): string[] {
  return listRuns(root).filter((dir) => existsSync(join(dir, 'run.json')) && !existsSync(join(dir, 'summary.json')));
}

/** Gives an unfinished record the summary of an interrupted run; false if it has one or is no run. */
export function markInterrupted(dir: string): boolean {
  if (existsSync(join(dir, 'summary.json'))) return false;
  const run = readRun(dir);
  if (!run) return false;
  const last = run.epochs[run.epochs.length - 1];
  const summary: RunSummary = {
    status: 'failed',
    endedAt: lastWrite(dir),
    durationMs: last?.elapsedMs ?? 0,
    epochsDone: last?.epoch ?? 0,
    ...(last ? { final: last } : {}),
    error: interruptedMessage(last?.epoch ?? 0, run.info.epochs),
  };
  let failed = false;
  new RunRecorder(dir, () => { failed = true; }).writeSummary(summary);
  return !failed;
}

/** When the record was last written: as near as we can know when the run stopped. */
function lastWrite(dir: string): string {
  let latest = 0;
  for (const f of ['run.json', 'metrics.jsonl']) {
    try {
      latest = Math.max(latest, statSync(join(dir, f)).mtimeMs);
    } catch { /* not written */ }
  }
  return new Date(latest || Date.now()).toISOString();
}

export interface Sweep {
  /** Records just marked interrupted. */
  marked: string[];
  /** Records of a process that still lives, to look at again later. */
  waiting: string[];
}

/**
 * Marks the unfinished records under `roots` whose owner is gone. Records owned by this process
 * (runs training here) and records whose owner cannot be checked are left as they are.
 */
export function sweepInterruptedRuns(roots: readonly string[], isAlive?: (pid: number) => boolean): Sweep {
  return sweepRunDirs(roots.flatMap((r) => unfinishedRuns(r)), isAlive);
}

/** The same for given run folders (the ones still waiting after an earlier sweep). */
export function sweepRunDirs(dirs: readonly string[], isAlive?: (pid: number) => boolean): Sweep {
  const sweep: Sweep = { marked: [], waiting: [] };
  for (const dir of dirs) {
    if (existsSync(join(dir, 'summary.json'))) continue;
    const owner = readOwner(dir);
    if (owner?.pid === process.pid && owner.host === hostname()) continue;
    const alive = ownerAlive(dir, isAlive);
    if (alive === false) {
      if (markInterrupted(dir)) sweep.marked.push(dir);
    } else if (alive === true) sweep.waiting.push(dir);
  }
  return sweep;
}
