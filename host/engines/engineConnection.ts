// What a training run talks to, whatever trains it: the tfjs worker thread (workerConnection.ts) or
// a Python process (pytorchProcess.ts). The run (host/trainingRun.ts) sees only validated
// WorkerToHost messages and one end event, so every panel, the run record, notebooks, compare,
// sweeps and exports work the same for both engines.
import type { WorkerToHost } from '../../protocol/worker';
import type { ExamplePick } from '../../protocol/pickedMaps';

/** What a run asks of its engine once it has started it. */
export type EngineRequest = { type: 'stop' } | { type: 'pickMaps'; pick: ExamplePick };

/** How an engine ended without a 'done' or 'error' message. */
export type EngineEnd =
  /** It crashed; `message` is the whole user-facing sentence. */
  | { kind: 'crash'; message: string }
  /** It exited; `detail` is what it last said (a Python traceback's last lines), when anything. */
  | { kind: 'exit'; code: number | null; detail?: string };

export interface EngineHandlers {
  /** A message that passed asWorkerToHost. */
  onMessage(message: WorkerToHost): void;
  /** Something that was not one (dropped; still proof that the engine is alive). */
  onMalformed(why: string): void;
  onEnd(end: EngineEnd): void;
  /**
   * The engine waits for something outside it before it can start, e.g. other machines to join a
   * multi-machine run: the sentence to show (plain text), or undefined when the wait is over. While
   * it waits, silence is not a hang.
   */
  onWaiting?(text: string | undefined): void;
}

export interface EngineConnection {
  /** For messages: "training worker", "PyTorch runner". */
  readonly label: string;
  /** How long a Stop may take before the engine is killed (a Python step can be slower than a tfjs one). */
  readonly stopGraceMs: number;
  send(request: EngineRequest): void;
  /** Ends the engine now, with everything it started (a process group, its ranks). Safe to call twice. */
  kill(): void;
}
