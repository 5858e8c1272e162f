// The PyTorch engine as a run sees it: writes the data files, starts the runner (one Python process,
// or torchrun with a loopback control socket), speaks JSON lines with it, validates every message,
// computes the training diagnostics on the host, and kills its whole process group when the run ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { ModelSpec } from '../../model/language/model';
import type { DeviceName } from '../../model/language/vocabulary';
import { asWorkerToHost, type LrFinderRequest, type WorkerToHost } from '../../protocol/worker';
import { DataLoadError, type DataPlace } from '../../engine/data/loadTraining';
import { dataDiagnostic } from '../../engine/data/dataDiagnostic';
import type { EngineConnection, EngineHandlers, EngineRequest } from './engineConnection';
import { JsonLineReader } from './jsonLines';
import { openblasEnv } from './blasCore';
import { freeLoopbackPort, signalGroup, waitForListener } from './processGroup';
import { parseRendezvous } from '../../model/language/readEngine';
import { firstMachineText, noFirstMachineText, rendezvousFailure, waitingText } from './rendezvous';
import { writeEngineData } from './engineData';
import type { EngineFiles } from './engineFiles';
import { HostDiagnostics } from './hostDiagnostics';
import { DEFAULT_JOIN_TIMEOUT_S, rankEnv, runnerArgs, runnerEnv, specForRunner, threadsPerProcess, type Topology } from './pytorchLaunch';

export interface PytorchLaunch {
  python: string;
  /** engines/pytorch of the extension (or the repository): goes on PYTHONPATH. */
  runnerDir: string;
  runId: string;
  spec: ModelSpec;
  place: DataPlace;
  /** Where data.json/data.bin are written: the run folder, or a temporary one for unsaved runs. */
  dataDir: string;
  /** data.json already written by the caller (the CLI writes it first so a data error is its usual one-line exit). */
  dataFile?: string | undefined;
  /** With dataFile: the initial weights written beside it (writeEngineFiles). */
  initialWeightsFile?: string | undefined;
  /** Writes the data files and the initial weights (engineFiles.ts writeEngineFiles; the editor: on a thread of their
   *  own). A training run or sweep needs one of this and dataFile + initialWeightsFile; serveMaps needs neither. */
  writeData?: (() => Promise<EngineFiles>) | undefined;
  runDir?: string | undefined;
  device: DeviceName;
  topology: Topology;
  log: { info(m: string): void; warn(m: string): void };
  env?: NodeJS.ProcessEnv;
  /** Instead of training: the learning-rate range test (the runner's lr_finder.py, the tfjs engine's sweep). */
  lrFinder?: LrFinderRequest | undefined;
  /** Instead of training: load these weights and answer picks with feature maps (a finished run). */
  serveMaps?: { weightsFile: string; step?: number | undefined; epoch?: number | undefined } | undefined;
}

/** Where a recorded PyTorch run keeps its final weights (docs/engines.md, "Weights"). */
export const runWeightsFile = (runDir: string): string => join(runDir, 'weights.json');

/** What every rank says once the process group is made (modellab_torch/distributed.py): the machines have met. */
const RANKS_MET = /Model Lab: all \d+ ranks met/;
/** Lines of the runner's stderr kept to explain an exit (a Python traceback ends with its cause). */
const TAIL_LINES = 12;
/** How long after the process exits its output may still be arriving. */
const STREAM_END_MS = 1500;
/** After SIGTERM, how long the group has before SIGKILL. */
const KILL_GRACE_MS = 1500;

export class PytorchConnection implements EngineConnection {
  readonly label = 'PyTorch runner';
  /** The runner finishes its batch; every rank ends within 2 s of Stop (docs/engines.md). */
  readonly stopGraceMs = 3000;
  private child: ChildProcess | undefined;
  private server: Server | undefined;
  private control: Socket | undefined;
  /** Requests made before the runner could take them (it starts after the data files are written; the control socket connects late). */
  private queued: EngineRequest[] = [];
  private killed = false;
  private ended = false;
  /** The runner said 'done': it is exiting on its own and may still be closing files. */
  private saidDone = false;
  private readonly tail: string[] = [];
  /** What the ranks themselves last wrote (torchrun's own failure table says less than a rank's traceback). */
  private readonly rankTail: string[] = [];
  private readonly diagnostics: HostDiagnostics;
  private readonly t0 = Date.now();

  constructor(private readonly o: PytorchLaunch, private readonly h: EngineHandlers) {
    this.diagnostics = new HostDiagnostics(o.spec);
    // Never call back from inside the constructor: the run is still assigning its fields.
    setImmediate(() => void this.launch().catch((e: Error) => this.crash(`The PyTorch runner could not start: ${e.message}`)));
  }

  /** The runner's (or torchrun's) process id once started: its process group's id too. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  private get multi(): boolean {
    return this.o.topology.processes > 1 || this.o.topology.nodes > 1;
  }

  private async launch(): Promise<void> {
    if (this.killed) return this.end({ kind: 'exit', code: null });
    let dataFile: string;
    let weightsFile: string | undefined;
    try {
      // serveMaps loads the run's own weights; anything that trains starts from the tfjs engine's draw.
      const files: Partial<EngineFiles> = this.o.dataFile ? { dataFile: this.o.dataFile, weightsFile: this.o.initialWeightsFile }
        : this.o.writeData ? await this.o.writeData() : { dataFile: writeEngineData(this.o.spec, this.o.place, this.o.dataDir).file };
      dataFile = files.dataFile as string;
      weightsFile = this.o.serveMaps ? undefined : files.weightsFile;
      if (!this.o.serveMaps && !weightsFile) throw new Error('a training run needs its initial weights (engineFiles.ts writeEngineFiles) and none were written');
    } catch (e) {
      if (!(e instanceof DataLoadError)) throw e;
      this.deliver({ type: 'diagnostics', list: [dataDiagnostic(this.o.spec, e.detail, e.key)] });
      this.deliver({ type: 'error', message: e.message });
      return;
    }
    if (this.killed) return this.end({ kind: 'exit', code: null });
    const start = {
      type: 'start', runId: this.o.runId, spec: specForRunner(this.o.spec), dataFile, device: this.o.device,
      modelFile: this.o.place.modelFile, threads: threadsPerProcess(this.o.topology.processes), ...(this.o.runDir ? { runDir: this.o.runDir } : {}),
      ...(this.o.lrFinder ? { lrFinder: this.o.lrFinder } : {}), ...(weightsFile ? { initialWeightsFile: weightsFile } : {}),
      // The final weights stay with the record: the feature maps of a finished run are computed from them.
      ...(this.o.runDir && !this.o.serveMaps && !this.o.lrFinder ? { saveWeightsFile: runWeightsFile(this.o.runDir) } : {}),
      ...(this.o.serveMaps ? {
        serveMaps: true, initialWeightsFile: this.o.serveMaps.weightsFile,
        ...(this.o.serveMaps.step !== undefined ? { step: this.o.serveMaps.step } : {}), ...(this.o.serveMaps.epoch !== undefined ? { epoch: this.o.serveMaps.epoch } : {}),
      } : {}),
    };
    if (!(await this.firstMachineUp())) return;
    const control = this.multi ? await this.listen(start) : undefined;
    // Before torch loads OpenBLAS (blasCore.ts); known after the first run with this interpreter.
    const blas = await openblasEnv(this.o.python, this.o.runnerDir, this.o.env ?? process.env, this.o.log);
    if (this.killed) return this.end({ kind: 'exit', code: null });
    const env = {
      ...runnerEnv(this.o.env ?? process.env, this.o.runnerDir, start.threads, control), ...blas,
      ...(control ? rankEnv(dataFile, start.threads, this.o.device, this.o.topology.join === true, weightsFile) : {}),
    };
    const localPort = control && this.o.topology.nodes <= 1 ? await freeLoopbackPort() : undefined;
    const child = spawn(this.o.python, runnerArgs(this.o.topology, this.o.spec.name, join(this.o.dataDir, 'ranks'), localPort), {
      env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true,
      // Its own process group, so that a kill reaches torchrun's ranks too.
      detached: process.platform !== 'win32',
    });
    this.child = child;
    if (this.o.topology.nodes > 1) this.setWaiting(waitingText(this.o.topology, this.o.place.modelFile));
    child.on('error', (e) => this.crash(`The PyTorch runner could not be started with '${this.o.python}': ${e.message}`));
    child.stdin?.on('error', () => { /* the runner closed its stdin: its exit says why */ });
    const reader = this.reader();
    let stdoutText = '';
    child.stdout?.on('data', (d: Buffer) => {
      if (control) {
        // torchrun's console: the ranks' teed output, prefixed [default<rank>]:.
        stdoutText += d.toString();
        const lines = stdoutText.split('\n');
        stdoutText = lines.pop() ?? '';
        this.stderr(lines.join('\n'));
      } else reader.push(d);
    });
    child.stderr?.on('data', (d: Buffer) => this.stderr(d.toString()));
    child.on('exit', (code, signal) => {
      this.server?.close();
      let done = false;
      const finish = (): void => {
        if (done) return;
        done = true;
        if (!control) reader.end();
        // A Python traceback ends with its cause.
        const said = (this.rankTail.length ? this.rankTail : this.tail).at(-1) ?? '';
        // Only a run whose machines never met failed at the rendezvous: once they trained, torchrun's
        // warnings about closing it (the first machine's store gone first) mean nothing.
        const rendezvous = this.waiting && code !== 0 && !this.killed ? rendezvousFailure(this.o.topology, this.o.place.modelFile, this.tail) : undefined;
        this.setWaiting(undefined);
        if (rendezvous) return this.crash(rendezvous);
        if (code === 0 && this.o.topology.nodes > 1 && !this.control) return this.joined();
        this.end({ kind: 'exit', code: code ?? (signal ? 128 : null), ...(said ? { detail: said } : {}) });
      };
      // 'exit' can come before the last lines are read (the 'done' among them): wait for the stream
      // carrying the protocol to end, but not for ever (a grandchild may hold it open).
      const stream = control ? this.control : child.stdout;
      if (!stream || stream.readableEnded || stream.destroyed) return finish();
      const timer = setTimeout(finish, STREAM_END_MS);
      stream.once('close', () => { clearTimeout(timer); finish(); });
      stream.once('end', () => { clearTimeout(timer); finish(); });
    });
    if (!control) {
      this.write(child.stdin, start);
      for (const q of this.queued.splice(0)) this.write(child.stdin, q);
    }
    if (this.killed) this.kill();
  }

  /** torchrun does not forward stdin: rank 0 connects here (MODELLAB_CONTROL) and gets the start. */
  private listen(start: object): Promise<string> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => {
        if (this.control) {
          socket.destroy(); // one runner per run; anything else on the port is not ours
          return;
        }
        this.control = socket;
        const reader = this.reader();
        socket.on('data', (d) => reader.push(d));
        socket.on('end', () => reader.end());
        socket.on('error', (e) => this.o.log.warn(`[pytorch ${this.o.runId}] control socket: ${e.message}`));
        this.write(socket, start);
        for (const q of this.queued.splice(0)) this.write(socket, q);
        server.close(); // no second connection
      });
      this.server = server;
      server.on('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const a = server.address();
        if (a && typeof a === 'object') resolve(`127.0.0.1:${a.port}`);
        else reject(new Error('no port for the control socket'));
      });
    });
  }

  private waiting = false;
  private waitingFor: string | undefined;

  private setWaiting(text: string | undefined): void {
    if (this.waitingFor === text) return;
    this.waitingFor = text;
    this.waiting = text !== undefined;
    this.h.onWaiting?.(text);
  }

  /**
   * A joining machine waits for the first one's rendezvous to listen before it starts torchrun,
   * whose joiner gives up at once on a refused connection: the machines may then be started in
   * any order. False (the run is over) if it never listened within the join timeout or Stop came.
   */
  private async firstMachineUp(): Promise<boolean> {
    const t = this.o.topology;
    const at = t.join && t.nodes > 1 && t.rendezvous ? parseRendezvous(t.rendezvous) : undefined;
    if (!at) return true;
    this.setWaiting(firstMachineText(t));
    const up = await waitForListener(at.host, at.port, Date.now() + (t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S) * 1000, () => this.killed);
    if (this.killed) {
      this.setWaiting(undefined);
      this.end({ kind: 'exit', code: null });
      return false;
    }
    if (!up) {
      this.setWaiting(undefined);
      this.crash(noFirstMachineText(t));
      return false;
    }
    return true;
  }

  private reader(): JsonLineReader<WorkerToHost> {
    let warned = false;
    return new JsonLineReader<WorkerToHost>({
      validate: asWorkerToHost,
      onMessage: (m) => this.deliver(m),
      onMalformed: (why, line) => {
        // Logged once per run: a runner printing to stdout by mistake would flood the log otherwise.
        if (!warned) this.o.log.warn(`[pytorch ${this.o.runId}] dropped output that is not a protocol message (${why}): ${line}`);
        warned = true;
        this.h.onMalformed(why);
      },
    });
  }

  private deliver(m: WorkerToHost): void {
    if (this.ended && m.type !== 'log') return;
    if (m.type === 'started') this.setWaiting(undefined);
    if (m.type === 'done') this.saidDone = true;
    const message: WorkerToHost = m.type === 'started' ? { ...m, info: { ...m.info, engine: 'pytorch', ranks: m.info.ranks ?? this.o.topology.processes * this.o.topology.nodes } } : m;
    // The diagnostics first: after 'done' the run takes nothing more.
    const list = this.diagnostics.observe(message);
    if (list) this.h.onMessage({ type: 'diagnostics', list });
    this.h.onMessage(message);
  }

  private stderr(text: string): void {
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      this.o.log.warn(`[pytorch ${this.o.runId}] ${line}`);
      if (RANKS_MET.test(line)) this.setWaiting(undefined);
      const tail = /^\[\w+?\d+\]:/.test(line) ? this.rankTail : this.tail;
      tail.push(line.replace(/^\[\w+?\d+\]:/, '').trim());
      if (tail.length > TAIL_LINES) tail.shift();
    }
  }

  private write(stream: NodeJS.WritableStream | null | undefined, message: object): void {
    stream?.write(JSON.stringify(message) + '\n');
  }

  send(request: EngineRequest): void {
    const to = this.multi ? this.control : this.child?.stdin;
    if (to) this.write(to, request);
    else if (request.type === 'stop' && this.o.topology.join && this.child) {
      // A joining machine's ranks never connect: SIGTERM is their stop (the run stops at the next
      // step's all-reduce on every machine), now rather than after the grace, so they finish in time.
      signalGroup(this.child, 'SIGTERM');
    } else this.queued.push(request); // not started yet (data being written, or the lead not yet connected)
  }

  /** This machine's ranks trained their share and ended well, but global rank 0 (which reports) was on another machine. */
  private joined(): void {
    this.deliver({ type: 'log', level: 'info', message: 'This machine trained its share of the run; the machine that started it shows its curves and keeps its record.' });
    this.deliver({ type: 'done', summary: { status: 'completed', endedAt: new Date().toISOString(), durationMs: Date.now() - this.t0, epochsDone: 0 } });
    this.end({ kind: 'exit', code: 0 });
  }

  private crash(message: string): void {
    this.end({ kind: 'crash', message });
    this.kill();
  }

  private end(e: Parameters<EngineHandlers['onEnd']>[0]): void {
    if (this.ended) return;
    this.ended = true;
    this.h.onEnd(e);
  }

  kill(): void {
    this.killed = true;
    this.control?.destroy();
    this.server?.close();
    const child = this.child;
    if (!child?.pid || child.exitCode !== null || child.signalCode !== null) {
      if (!child) this.end({ kind: 'exit', code: null });
      return;
    }
    // Now, not on a timer: a closing editor may not live to run one. A runner that said 'done' gets time to exit on its own.
    const term = this.saidDone ? setTimeout(() => signalGroup(child, 'SIGTERM'), KILL_GRACE_MS) : undefined;
    if (!term) signalGroup(child, 'SIGTERM');
    const force = setTimeout(() => signalGroup(child, 'SIGKILL'), KILL_GRACE_MS + (this.saidDone ? KILL_GRACE_MS : 0));
    child.once('exit', () => {
      clearTimeout(term);
      clearTimeout(force);
      // torchrun's ranks can outlive it by a moment: the group gets the last word.
      signalGroup(child, 'SIGKILL');
    });
  }

  /** The host is going away: no time for grace. */
  killNow(): void {
    this.killed = true;
    if (this.child) signalGroup(this.child, 'SIGKILL');
  }
}
