// How the PyTorch runner is started: the command line (one process, or torchrun for several
// processes or machines), its environment, and the spec it is handed. Pure, so tests check the exact
// commands; host/engines/pytorchProcess.ts runs them.
import { availableParallelism } from 'node:os';
import type { ModelSpec } from '../../model/language/model';

export interface Topology {
  /** Processes on this machine. */
  processes: number;
  nodes: number;
  rendezvous?: string | undefined;
  /** This machine joins a run started on another (`--join`): it does not host the rendezvous nor report. */
  join?: boolean | undefined;
  /** How long the machines have to meet at the rendezvous, in seconds (torchrun's join_timeout). */
  joinTimeoutS?: number | undefined;
}

/** Seconds the machines of a run have to meet (torchrun's own default): time to start the other machines by hand. */
export const DEFAULT_JOIN_TIMEOUT_S = 600;

/** What to run on every other machine of a multi-machine run (README "Training on PyTorch"; the slow test runs it). */
export function joinCommand(modelFile: string): string[] {
  return ['model-lab', 'train', modelFile, '--engine', 'pytorch', '--join'];
}

/** The runner's module (engines/pytorch/modellab_torch, put on PYTHONPATH). */
export const RUNNER_MODULE = 'modellab_torch';

/**
 * Arguments after the interpreter. torch 1.13 on Python 3.11 fails to parse torchrun's default
 * `--redirects 0` (an IntFlag with no zero member); non-zero values avoid it (docs/engines.md, "Many processes").
 */
export function runnerArgs(t: Topology, modelName: string, logDir?: string, localPort?: number): string[] {
  if (t.processes <= 1 && t.nodes <= 1) return ['-m', RUNNER_MODULE];
  // One machine: a rendezvous on a free loopback port the host picked (`localPort`). Not
  // `--standalone`: torch 1.13 puts every standalone run's store on port 29400, so a second
  // multi-process run on the machine fails ("The connection to the C10d store has failed").
  // Several machines: the one that started the run hosts the rendezvous store (is_host), so which
  // machine started first decides nothing, and a joining machine never hosts it by accident.
  const where = t.nodes > 1
    ? ['--nnodes', String(t.nodes), '--rdzv_backend', 'c10d', '--rdzv_endpoint', t.rendezvous ?? '', '--rdzv_id', rendezvousId(modelName),
      '--rdzv_conf', `is_host=${t.join ? 0 : 1},join_timeout=${t.joinTimeoutS ?? DEFAULT_JOIN_TIMEOUT_S}`]
    : localPort !== undefined
      ? ['--nnodes', '1', '--rdzv_backend', 'c10d', '--rdzv_endpoint', `127.0.0.1:${localPort}`, '--rdzv_id', `modellab-local-${localPort}`]
      : ['--standalone'];
  // Every rank's stderr to its log file and teed to torchrun's (the host logs it, and a
  // failing rank's traceback is what explains the run's end).
  // torchrun looks at its ranks every 5 s by default: a finished run would wait that long to exit,
  // past the host's grace after 'done', and a killed store host breaks the other machines' exit barrier.
  return ['-m', 'torch.distributed.run', '--nproc_per_node', String(t.processes), ...where, '--monitor_interval', '0.5', '--redirects', '2', '--tee', '2',
    ...(logDir ? ['--log_dir', logDir] : []), '-m', RUNNER_MODULE];
}

/** Every machine of a run must name the same rendezvous id: the model's name, never the local run id. */
export function rendezvousId(name: string): string {
  return `modellab-${name.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 60)}`;
}

/**
 * processes: auto is one process. Measured on 2 cores (docs/engines.md): two gloo ranks on a small
 * MLP trained at a third of one process's speed, because the gradient exchange costs more than the
 * second core gives; a user with many cores or GPUs names the count.
 */
export function resolveTopology(spec: ModelSpec, cliProcesses?: number | 'auto', machines: { join?: boolean | undefined; joinTimeoutS?: number | undefined } = {}): Topology {
  const asked = cliProcesses ?? spec.train.processes ?? 1;
  return {
    processes: asked === 'auto' ? 1 : asked, nodes: spec.train.nodes ?? 1, rendezvous: spec.train.rendezvous,
    ...(machines.join ? { join: true } : {}), ...(machines.joinTimeoutS !== undefined ? { joinTimeoutS: machines.joinTimeoutS } : {}),
  };
}

/** Threads per process on the CPU: the cores shared out, so ranks do not oversubscribe them. */
export function threadsPerProcess(processes: number, cores = availableParallelism()): number {
  return Math.max(1, Math.floor(cores / Math.max(1, processes)));
}

/** The spec as the runner takes it: no source tree and no ranges (they mean nothing to Python). */
export function specForRunner(spec: ModelSpec): unknown {
  return JSON.parse(JSON.stringify(spec, (key, value: unknown) => (RANGE_KEYS.has(key) ? undefined : value)));
}
const RANGE_KEYS = new Set(['source', 'range', 'ranges', 'optionRanges', 'keyRange']);

/**
 * What each machine's ranks take from their own host rather than from the lead's start message
 * (modellab_torch/distributed.py): this machine's copy of the data, its threads and device, and
 * whether it joined (then it does not report).
 */
export function rankEnv(dataFile: string, threads: number, device: string, join: boolean, weightsFile?: string): NodeJS.ProcessEnv {
  return {
    MODELLAB_DATA_FILE: dataFile,
    // Each machine's host drew the same initial weights into its own folder (the start message names the lead's).
    ...(weightsFile ? { MODELLAB_INITIAL_WEIGHTS_FILE: weightsFile } : {}), MODELLAB_THREADS: String(threads), MODELLAB_DEVICE: device, MODELLAB_ROLE: join ? 'join' : 'main',
    // The ranks stop when this host is gone (killed, not asked), rather than train on for nobody.
    MODELLAB_HOST_PID: String(process.pid),
  };
}

export function runnerEnv(base: NodeJS.ProcessEnv, runnerDir: string, threads: number, control?: string): NodeJS.ProcessEnv {
  const sep = process.platform === 'win32' ? ';' : ':';
  return {
    ...base,
    PYTHONPATH: base.PYTHONPATH ? `${runnerDir}${sep}${base.PYTHONPATH}` : runnerDir,
    PYTHONUNBUFFERED: '1',
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
    // glibc would return freed buffers to the system every step (docs/performance.md).
    MALLOC_MMAP_THRESHOLD_: base.MALLOC_MMAP_THRESHOLD_ ?? '16777216',
    MALLOC_TRIM_THRESHOLD_: base.MALLOC_TRIM_THRESHOLD_ ?? '67108864',
    ...(control ? { MODELLAB_CONTROL: control } : {}),
  };
}
