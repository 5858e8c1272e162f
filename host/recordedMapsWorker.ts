// Feature maps for a picked example of a run that has ended: a worker of its own (the training
// worker is gone) loads the run's saved model and data once and answers picks. It is ended after
// a while without picks, so a panel left open holds no worker. Each pick is a request on a
// protocol/channel.ts channel, so every pick ends in an answer or in the reason there is none (the
// worker died, did not answer in time). Free of the vscode API, like trainingRun.ts, so unit tests
// can drive it.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ExamplePick, PickedMapsReply } from '../protocol/pickedMaps';
import { asWorkerToHost, type HostToWorker, type WorkerToHost } from '../protocol/worker';
import { Channel, ChannelError, eventPort } from '../protocol/channel';
import type { RunLog } from './trainingRun';

const IDLE_MS = 120_000;

export interface RecordedMapsStart {
  runDir: string;
  modelFile: string;
  extensionPath: string;
  backend: 'auto' | 'wasm' | 'cpu';
  log: RunLog;
  /** Makes the worker (tests); by default dist/worker.js of the extension. */
  createWorker?: (file: string) => Worker;
  /** The worker is ended after this long without a pick; a pick not answered by then is told so. */
  idleMs?: number;
}

/** One feature-map worker and the channel to it; `exitCode` once it has exited on its own. */
interface Serving {
  thread: Worker;
  channel: Channel<WorkerToHost, HostToWorker>;
  exitCode?: number;
}

/** The model file text a run record keeps (model.yaml or model.json), if any. */
export function recordedSource(runDir: string): string | undefined {
  const file = ['model.yaml', 'model.json'].map((f) => join(runDir, f)).find(existsSync);
  try {
    return file ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

export class RecordedMapsWorker {
  private serving: Serving | undefined;
  private idle: ReturnType<typeof setTimeout> | undefined;
  /** The newest pick asked for: a failure to answer an older one is not told (it is no longer wanted). */
  private latest: ExamplePick | undefined;

  constructor(private readonly start: RecordedMapsStart) {}

  /**
   * The maps of `pick` from the run's saved model, or why there are none (no model file, the worker
   * died or did not answer in time). Undefined when nobody waits any more: a newer pick replaced this
   * one before it was answered, or dispose() ended the worker.
   */
  async request(pick: ExamplePick): Promise<PickedMapsReply | undefined> {
    const source = recordedSource(this.start.runDir);
    if (source === undefined) return { pick, error: `The run record ${this.start.runDir} has no model file to compute feature maps with.` };
    const serving = this.serving ?? this.spawn(source);
    this.latest = pick;
    const ms = this.start.idleMs ?? IDLE_MS;
    const answer = serving.channel.request({ type: 'pickMaps', pick }, 'pickedMaps', ms);
    this.armIdle();
    try {
      return (await answer).reply;
    } catch (e) {
      const why = this.failure(serving, e, ms);
      return why !== undefined && this.latest === pick ? { pick, error: why } : undefined;
    }
  }

  /** What to tell the panel of a request that failed; undefined when dispose() ended it (nobody waits). */
  private failure(serving: Serving, e: unknown, ms: number): string | undefined {
    if (!(e instanceof ChannelError)) return `Feature maps could not be computed: ${String(e)}`;
    switch (e.kind) {
      case 'disposed':
        return serving.exitCode === undefined ? undefined : `The worker computing feature maps stopped (exit code ${serving.exitCode}) before it answered.`;
      case 'timeout':
        return `The worker computing feature maps did not answer within ${ms / 1000} s.`;
      case 'malformed':
        return `The worker computing feature maps answered with something invalid (${e.message}).`;
      case 'remote':
        return e.message;
    }
  }

  private spawn(source: string): Serving {
    const s = this.start;
    const create = s.createWorker ?? ((file) => new Worker(file, { stdout: true, stderr: true }));
    const thread = create(join(s.extensionPath, 'dist', 'worker.js'));
    thread.stdout?.on('data', (d: Buffer) => s.log.info(`[feature maps] ${d.toString().trimEnd()}`));
    thread.stderr?.on('data', (d: Buffer) => s.log.warn(`[feature maps] ${d.toString().trimEnd()}`));
    const channel = new Channel<WorkerToHost, HostToWorker>(eventPort(thread), asWorkerToHost, {
      onMalformed: (_raw, why) => s.log.warn(`Dropped a message from the feature-map worker: ${why}`),
    });
    const serving: Serving = { thread, channel };
    // Answers come as replies to their requests; the worker's only other words are its log lines.
    channel.onMessage((msg) => {
      if (msg.type === 'log') s.log[msg.level](`[feature maps] ${msg.message}`);
      else s.log.warn(`Dropped a '${msg.type}' message from the feature-map worker.`);
    });
    thread.on('error', (e) => s.log.warn(`The feature-map worker of ${s.runDir} failed: ${e.message}`));
    thread.on('exit', (code) => {
      if (this.serving !== serving) return; // ended by dispose()
      this.serving = undefined;
      serving.exitCode = code;
      channel.dispose(); // the picks still waiting are told it stopped
    });
    channel.post({ type: 'serveMaps', runDir: s.runDir, source, modelFile: s.modelFile, assetsDir: s.extensionPath, backend: s.backend });
    this.serving = serving;
    return serving;
  }

  private armIdle(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = setTimeout(() => this.dispose(), this.start.idleMs ?? IDLE_MS);
    this.idle.unref?.();
  }

  dispose(): void {
    if (this.idle) clearTimeout(this.idle);
    this.idle = undefined;
    const serving = this.serving;
    this.serving = undefined;
    this.latest = undefined;
    serving?.channel.dispose();
    void serving?.thread.terminate();
  }
}
