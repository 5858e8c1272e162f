// Batches can run at thousands per second; the host and the panels want at most ~20 updates a
// second. The coalescer buffers points and flushes them together, at most every `intervalMs`,
// and always on flush() (end of run) so nothing is lost.
import type { BatchPoint, EpochPoint } from '../../protocol/run';

export interface ProgressChunk {
  batches: BatchPoint[];
  epochs: EpochPoint[];
}

export class ProgressCoalescer {
  private batches: BatchPoint[] = [];
  private epochs: EpochPoint[] = [];
  private lastFlush = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages that must follow the points buffered before them (statistics of an epoch). */
  private followers: (() => void)[] = [];

  constructor(
    private readonly send: (chunk: ProgressChunk) => void,
    private readonly intervalMs = 50,
    private readonly now: () => number = Date.now,
  ) {}

  batch(point: BatchPoint): void {
    this.batches.push(point);
    this.maybeFlush();
  }

  epoch(point: EpochPoint): void {
    this.epochs.push(point);
    this.maybeFlush();
  }

  /**
   * Sends `message` right after the points buffered so far, with the next flush: a panel never
   * sees an epoch's statistics before the epoch, and statistics do not add progress messages.
   */
  after(message: () => void): void {
    this.followers.push(message);
    this.maybeFlush();
  }

  /** Sends whatever is buffered now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.batches.length > 0 || this.epochs.length > 0) {
      const chunk = { batches: this.batches, epochs: this.epochs };
      this.batches = [];
      this.epochs = [];
      this.lastFlush = this.now();
      this.send(chunk);
    }
    const followers = this.followers;
    this.followers = [];
    for (const f of followers) f();
  }

  private maybeFlush(): void {
    const wait = this.lastFlush + this.intervalMs - this.now();
    if (wait <= 0) this.flush();
    // A timer catches the tail when the loop goes quiet (e.g. a long validation pass).
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), wait);
  }
}
