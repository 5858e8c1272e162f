// A CPU profile of the extension host's main thread, for `npm run bench:editor -- --profile`: where
// the host's time goes while a run streams. Taken through an in-process inspector session, only when
// the bench asks (MODEL_LAB_BENCH_PROFILE=1 beside MODEL_LAB_BENCH); written as a .cpuprofile that
// Chrome DevTools and VS Code open.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';

/** What the host-lag command (extension/benchProbe.ts) measures of the host's event loop; the bench reads it back. */
export interface HostLagFigures {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Samples in the histogram (one per timer tick of the probe's resolution). */
  count: number;
  /** How long the histogram ran. */
  durationMs: number;
  /** Share of that time the host's main thread was busy (event-loop utilisation, 0..1): unlike the
   *  delay, it hardly depends on what else the machine runs. */
  busy: number;
  /** Most threads of this process seen at a lowered priority (nice > 0: training threads, see
   *  engine/train/threadPriority.ts) in a sample every half second; undefined where /proc is missing. */
  lowPriorityThreads?: number;
}

export class HostProfile {
  private readonly session = new Session();

  constructor() {
    this.session.connect();
    this.session.post('Profiler.enable');
    this.session.post('Profiler.start');
  }

  /** Stops profiling and writes the profile to `file`; resolves with an error message if it could not. */
  stop(file: string): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.session.post('Profiler.stop', (err, result) => {
        let failure = err?.message;
        if (!err) {
          try {
            writeFileSync(file, JSON.stringify(result.profile));
          } catch (e) {
            failure = (e as Error).message;
          }
        }
        this.session.disconnect();
        resolve(failure);
      });
    });
  }
}
