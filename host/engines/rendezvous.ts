// What a run over several machines tells the user while the machines meet at the rendezvous, and
// how torchrun's failure to gather them reads (docs/engines.md, "Machines"). Plain text: it reaches
// the training panel only as text.
import { DEFAULT_JOIN_TIMEOUT_S, joinCommand, type Topology } from './pytorchLaunch';

const command = (modelFile: string): string => joinCommand(modelFile || 'MODEL_FILE').join(' ');

/** How many machines are awaited, where, for how long, and the command that joins one. */
export function waitingText(t: Topology, modelFile: string): string {
  const more = t.nodes - 1;
  const timeout = t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S;
  if (t.join) return `Joining the run at ${t.rendezvous ?? '?'}: waiting for all ${t.nodes} machines (up to ${timeout} s).`;
  return `Waiting for ${more} more machine${more === 1 ? '' : 's'} to join at ${t.rendezvous ?? '?'} (up to ${timeout} s). On each, in the project's folder, run: ${command(modelFile)}`;
}

/** A joining machine's text while the run's first machine is not listening yet. */
export function firstMachineText(t: Topology): string {
  return `Waiting for the run's first machine at ${t.rendezvous ?? '?'} to start (up to ${t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S} s): on that machine, run model-lab train with this model file and --engine pytorch, without --join.`;
}

/** Why a joining machine gave up before torchrun started. */
export function noFirstMachineText(t: Topology): string {
  return `Nothing answered at ${t.rendezvous ?? '?'} within ${t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S} s: start the run on its first machine (the one at that address) and check that the port is open, then join again.`;
}

/** torchrun's own failure to gather the machines, from its last stderr lines, as one sentence (its traceback says it in class names). */
export function rendezvousFailure(t: Topology, modelFile: string, tail: readonly string[]): string | undefined {
  if (t.nodes <= 1) return undefined;
  const text = tail.join('\n');
  const where = t.rendezvous ?? '?';
  if (/RendezvousTimeoutError/.test(text)) {
    return `Not all ${t.nodes} machines joined the rendezvous at ${where} within ${t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S} s, so the run did not start. `
      + (t.join ? 'Start the run on its first machine, then join again.' : `Start the others with: ${command(modelFile)}`);
  }
  if (/RendezvousConnectionError|RendezvousClosedError/.test(text)) {
    return t.join
      ? `Could not reach the run at ${where}: start it on its first machine (the one at that address) before joining, and check that the port is open.`
      : `The rendezvous at ${where} failed: this machine must be the one at that address, with the port free (another run may hold it), or a machine left the run.`;
  }
  return undefined;
}
