// What `npm run bench:editor` (bench/editor.mjs) reads from the training panel: how long a batch's
// metric takes from the end of its step in the worker to this page (arrival) and to the frame that
// draws it. Only batches the worker stamped (endedAt, a bench session only) are timed, so outside
// the bench this records nothing. The first draw is a performance mark: the bench times the panel's
// opening from the command to it.
import type { BatchPoint } from '../../protocol/run';

interface LatencyRecord {
  /** ms from the step's end to the message reaching the page, one entry per stamped batch. */
  arrived: number[];
  /** ms from the step's end to the animation frame that drew it. */
  drawn: number[];
}

/** Bounded: a long run stamps every batch, and the bench reads only a few thousand. */
const MAX = 20_000;
let record: LatencyRecord | undefined;
let waiting: number[] = [];
let firstDraw = true;

export function noteArrival(batches: readonly BatchPoint[]): void {
  const now = Date.now();
  for (const b of batches) {
    if (b.endedAt === undefined) continue;
    if (!record) {
      record = { arrived: [], drawn: [] };
      // Where the bench finds it (h.inWebview evaluates in this page).
      (globalThis as { modelLabLatency?: LatencyRecord }).modelLabLatency = record;
    }
    if (record.arrived.length < MAX) record.arrived.push(now - b.endedAt);
    waiting.push(b.endedAt);
  }
}

/** Called from the frame that drew everything received so far. */
export function noteDrawn(): void {
  if (firstDraw) {
    firstDraw = false;
    performance.mark('modelLab.firstDraw');
  }
  if (!record || waiting.length === 0) return;
  const now = Date.now();
  for (const t of waiting) if (record.drawn.length < MAX) record.drawn.push(now - t);
  waiting = [];
}
