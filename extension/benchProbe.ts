// A measurement the extension host makes of itself, for `npm run bench:editor` (bench/editor.mjs):
// how late its event loop runs while a run streams into the panels (the goal is p99 < 20 ms: no
// typing lag). Only the host can measure its own loop, so this is a command; it is internal (hidden
// from the palette unless the editor was started by the bench with MODEL_LAB_BENCH set) and
// measures nothing until it is run. The figures go back to the caller, to the log, and, in a bench
// session, to the file MODEL_LAB_BENCH names: the path comes from whoever started the editor, never
// from command arguments, so the command cannot be used to write anywhere else.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, performance, type EventLoopUtilization, type IntervalHistogram } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { HostProfile } from '../host/benchProfile';

export const HOST_LAG_COMMAND = 'modelLab.internal.hostLag';
/** Set by the bench: a JSON file for the figures; it also stamps batch ends in the worker (worker/main.ts). */
export const BENCH_ENV = 'MODEL_LAB_BENCH';

export interface HostLagFigures {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  /** Samples in the histogram (one per timer tick of RESOLUTION_MS). */
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

/** Threads of this process with a nice value above 0 (Linux /proc; field 19 of each task's stat). */
function lowPriorityThreadCount(): number | undefined {
  try {
    return readdirSync('/proc/self/task').filter((tid) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]) > 0;
    }).length;
  } catch {
    return undefined;
  }
}

/** Timer resolution of the histogram; bench/hostLag.ts uses the same, so the two read alike. */
const RESOLUTION_MS = 5;

export function registerBenchProbe(log: vscode.LogOutputChannel): vscode.Disposable {
  const out = process.env[BENCH_ENV];
  // The palette shows the command only in a bench session (package.json: when modelLab.bench).
  if (out) void vscode.commands.executeCommand('setContext', 'modelLab.bench', true);
  let running: { histogram: IntervalHistogram; startedAt: number; elu: EventLoopUtilization; profile?: HostProfile; niceSampler: NodeJS.Timeout; lowPriorityThreads?: number } | undefined;
  const stop = (): HostLagFigures | undefined => {
    if (!running) return undefined;
    const { histogram, startedAt, elu, profile, niceSampler, lowPriorityThreads } = running;
    running = undefined;
    histogram.disable();
    clearInterval(niceSampler);
    const busy = performance.eventLoopUtilization(elu).utilization;
    // After the histogram: writing the profile out blocks the thread for a while.
    if (profile) void profile.stop(`${out ?? 'host'}.cpuprofile`).then((failure) => failure && log.warn(`Could not write the host's CPU profile: ${failure}`));
    const ms = (ns: number) => Math.round(ns / 1e4) / 100;
    return {
      p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), mean: ms(histogram.mean),
      count: histogram.count, durationMs: Date.now() - startedAt, busy: Math.round(busy * 1000) / 1000,
      ...(lowPriorityThreads !== undefined ? { lowPriorityThreads } : {}),
    };
  };
  const command = vscode.commands.registerCommand(HOST_LAG_COMMAND, (action?: unknown): HostLagFigures | undefined => {
    // No argument (the palette): a toggle. 'start' / 'stop' from code that calls it.
    const starting = action === 'start' || (action !== 'stop' && !running);
    if (starting) {
      stop();
      const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
      histogram.enable();
      // A CPU profile too when the bench asks for one (it costs the host a little while it runs).
      const profile = out && process.env.MODEL_LAB_BENCH_PROFILE === '1' ? new HostProfile() : undefined;
      const niceSampler = setInterval(() => {
        const n = lowPriorityThreadCount();
        if (running && n !== undefined) running.lowPriorityThreads = Math.max(running.lowPriorityThreads ?? 0, n);
      }, 500);
      running = { histogram, startedAt: Date.now(), elu: performance.eventLoopUtilization(), ...(profile ? { profile } : {}), niceSampler };
      log.info('Measuring the extension host\'s event-loop delay.');
      return undefined;
    }
    const figures = stop();
    if (!figures) return undefined;
    log.info(`Extension host event-loop delay over ${(figures.durationMs / 1000).toFixed(1)} s: p50 ${figures.p50} ms, p99 ${figures.p99} ms, max ${figures.max} ms; busy ${(figures.busy * 100).toFixed(1)}% of the time.`);
    if (out) {
      try {
        writeFileSync(out, JSON.stringify(figures) + '\n');
      } catch (e) {
        log.warn(`Could not write the host-lag figures to ${out}: ${(e as Error).message}`);
      }
    }
    return figures;
  });
  return vscode.Disposable.from(command, { dispose: () => void stop() });
}
