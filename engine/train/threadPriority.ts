// Training is background work beside an editor. On a 2-core laptop the training thread (and its
// data-parallel replica) would take the cores from the extension host and the window, and typing,
// panels and the metric stream would stutter. So the training thread lowers its own CPU priority:
// when the editor needs a core it gets it at once, and when the editor is idle training runs at full
// speed (the scheduler gives an idle core to whoever asks, whatever the priority).
//
// Only on Linux: there the nice value belongs to each thread (setpriority on pid 0 changes the
// calling thread only, and threads the training thread starts later inherit it). On macOS and
// Windows the same call would lower the whole extension host, the very thing it must not slow down.
import { constants, getPriority, setPriority } from 'node:os';

/** The nice value training threads take: PRIORITY_BELOW_NORMAL (10), what background tasks use. */
export const TRAINING_NICE = constants.priority.PRIORITY_BELOW_NORMAL;

/**
 * Lowers the calling thread's CPU priority; returns what was done, for the run's log. Never throws:
 * a thread that cannot lower itself trains at normal priority.
 */
export function lowerThreadPriority(platform: NodeJS.Platform = process.platform): string {
  if (platform !== 'linux') return `Training runs at normal priority (lowering one thread's priority is only possible on Linux, not on ${platform}).`;
  try {
    const before = getPriority(0);
    if (before >= TRAINING_NICE) return `Training runs at nice ${before}, already below the editor.`;
    setPriority(0, TRAINING_NICE);
    return `Training runs below the editor's priority (nice ${getPriority(0)}, the editor ${before}), so the editor stays responsive; it takes the full cores whenever the editor is idle.`;
  } catch (e) {
    return `Training runs at normal priority: its priority could not be lowered (${(e as Error).message}).`;
  }
}
