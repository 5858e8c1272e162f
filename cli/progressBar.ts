// The terminal progress line of `model-lab train`: a bar, the epoch, the loss, elapsed time, time
// left and samples/s. Messages printed while it runs go above it (the line is cleared, the message
// written, the bar drawn again), and a finished run leaves the bar at 100%.

export interface ProgressOut {
  write(text: string): void;
  /** Terminal width in columns, when known. */
  columns?: number;
}

const WIDTH = 24;

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class ProgressBar {
  private readonly start: number;
  private lastDraw = -Infinity;
  private line = '';
  private state: { x: number; loss: number } | undefined;

  constructor(
    private readonly out: ProgressOut,
    private readonly totalEpochs: number,
    private readonly trainSamples: number,
    private readonly now: () => number = Date.now,
    /** Redraws at most this often (ms); the last state is always drawn by done(). */
    private readonly interval = 100,
  ) {
    this.start = now();
  }

  /** `x` is fractional epochs done (epoch 3 half way: 2.5). */
  update(x: number, loss: number): void {
    this.state = { x: Math.min(x, this.totalEpochs), loss };
    const t = this.now();
    if (t - this.lastDraw < this.interval) return;
    this.lastDraw = t;
    this.draw();
  }

  /** A line printed while the bar is showing: above the bar, which is drawn again below it. */
  message(text: string): void {
    this.clear();
    this.out.write(text.endsWith('\n') ? text : text + '\n');
    if (this.state) this.draw();
  }

  /** The run ended: the bar at 100% when every epoch ran (or where a stop left it), then a new line. */
  done(completed: boolean): void {
    if (!this.state) return;
    if (completed) this.state = { ...this.state, x: this.totalEpochs };
    this.draw();
    this.out.write('\n');
    this.line = '';
  }

  private clear(): void {
    if (this.line) this.out.write('\r\x1b[K');
    this.line = '';
  }

  private draw(): void {
    if (!this.state) return;
    const { x, loss } = this.state;
    const elapsed = this.now() - this.start;
    const fraction = this.totalEpochs > 0 ? x / this.totalEpochs : 1;
    const filled = Math.round(fraction * WIDTH);
    const left = fraction >= 1 ? 0 : fraction > 0 ? (elapsed * (1 - fraction)) / fraction : undefined;
    const rate = elapsed > 0 ? (x * this.trainSamples) / (elapsed / 1000) : 0;
    const parts = [
      `[${'█'.repeat(filled)}${'·'.repeat(WIDTH - filled)}] ${Math.round(fraction * 100)}%`,
      `epoch ${Math.min(this.totalEpochs, Math.max(1, Math.ceil(x)))}/${this.totalEpochs}`,
      `loss ${loss.toFixed(4)}`,
      `${formatDuration(elapsed)} elapsed`,
      left === undefined ? 'time left …' : `${formatDuration(left)} left`,
      `${Math.round(rate)} samples/s`,
    ];
    let text = parts.join(' · ');
    const columns = this.out.columns;
    if (columns && text.length > columns - 1) text = text.slice(0, columns - 1);
    this.out.write(`\r\x1b[K${text}`);
    this.line = text;
  }
}
