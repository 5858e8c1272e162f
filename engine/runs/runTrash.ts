// Deleting a run moves its folder to .modellab/trash/ (one rename: nothing half-deleted), so Undo
// can move it back. The trash sits outside .modellab/runs/, where nothing lists it.
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface TrashedRun {
  from: string;
  to: string;
}

/** `dir` is <root>/.modellab/runs/<name>; returns where it went. */
export function trashRun(dir: string, now = Date.now()): TrashedRun {
  const trash = join(dirname(dirname(dir)), 'trash');
  mkdirSync(trash, { recursive: true });
  const to = join(trash, `${basename(dir)}~${now}`);
  renameSync(dir, to);
  return { from: dir, to };
}

export function restoreRun(t: TrashedRun): void {
  if (existsSync(t.from)) throw new Error(`${t.from} exists again; the deleted run stays in ${t.to}.`);
  renameSync(t.to, t.from);
}
