// Writes a recorded run as a TensorBoard event file in its own folder:
// <run>/events.out.tfevents.<unix seconds>.<host>, so `tensorboard --logdir .modellab/runs` shows
// every exported run side by side. Exporting again replaces the run's earlier event file (two files
// in one folder would be read as one run with every point twice).
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { readRun } from '../runs/runStore';
import { readStats } from '../stats/record';
import { encodeEvent } from './eventProto';
import { runEvents } from './tensorboardEvents';
import { frameRecord } from './tfrecord';

export const EVENTS_PREFIX = 'events.out.tfevents.';

export interface TensorBoardExport {
  file: string;
  events: number;
  scalars: number;
  histograms: number;
}

export function exportRunToTensorBoard(runDir: string, now = new Date()): TensorBoardExport {
  const run = readRun(runDir);
  if (!run) throw new Error(`${runDir} is not a Model Lab run folder (it has no readable run.json).`);
  const events = runEvents(run, readStats(runDir));
  const started = Date.parse(run.info.startedAt);
  const seconds = Math.floor((Number.isFinite(started) ? started : now.getTime()) / 1000);
  const host = hostname().replace(/[^A-Za-z0-9_.-]/g, '_') || 'localhost';
  const file = join(runDir, `${EVENTS_PREFIX}${seconds}.${host}`);
  const data = Buffer.concat(events.map((e) => frameRecord(encodeEvent(e))));
  const tmp = join(runDir, `.tfevents-${process.pid}.tmp`);
  writeFileSync(tmp, data);
  for (const f of readdirSync(runDir)) if (f.startsWith(EVENTS_PREFIX) && join(runDir, f) !== file) rmSync(join(runDir, f), { force: true });
  renameSync(tmp, file);
  let scalars = 0;
  let histograms = 0;
  for (const e of events) {
    for (const v of e.summary?.value ?? []) {
      if (v.histo) histograms++;
      else scalars++;
    }
  }
  return { file, events: events.length, scalars, histograms };
}
