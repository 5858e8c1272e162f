// How many worker threads train a model (train.workers: auto | 1 | 2). Two replicas pay a fixed cost
// per step (exchanging and averaging every gradient, one barrier) and for starting (a second tfjs and
// wasm instance, ~0.5 s), and gain half the forward/backward arithmetic: worth it when a step has
// many multiply-accumulates per parameter, i.e. convolutions or large batches, and the run is long.
import { availableParallelism } from 'node:os';
import { analyzeShapes } from '../../../model/analysis/shapes';
import { Checker } from '../../../model/language/check';
import type { ModelSpec } from '../../../model/language/model';

/** Multiply-accumulates per step per exchanged parameter above which two workers win. Measured
 *  (npm run bench): MLP 784-128-10 at batch 64 is 64 (two workers lose), at 256 it is 256 (even);
 *  the bench CNN at batch 64 is ~2300 (two workers win). */
const MIN_MACS_PER_PARAM = 512;
/** Below this much arithmetic in the whole run (~a second of one core), starting a worker costs more. */
const MIN_RUN_MACS = 5e9;

export interface WorkerChoice {
  workers: 1 | 2;
  reason: string;
}

export interface WorkerContext {
  /** Cores of this machine (tests pass it). */
  cores?: number;
  /** The network comes from a JavaScript model file: a second thread could not build it. */
  customModel?: boolean;
}

export function chooseWorkers(spec: ModelSpec, trainSamples: number, backend: 'wasm' | 'cpu', context: WorkerContext = {}): WorkerChoice {
  const asked = spec.train.workers ?? 'auto';
  const cores = context.cores ?? availableParallelism();
  if (backend !== 'wasm') return { workers: 1, reason: 'one worker: data-parallel training runs on the wasm backend only' };
  if (context.customModel) return { workers: 1, reason: 'one worker: a JavaScript model file builds its network in this thread only' };
  if (asked === 1) return { workers: 1, reason: 'one worker (train.workers: 1)' };
  if (trainSamples < 2 || spec.train.batchSize < 2) return { workers: 1, reason: 'one worker: a batch of one example cannot be split' };
  if (asked === 2) return { workers: 2, reason: 'two workers (train.workers: 2)' };
  if (cores < 2) return { workers: 1, reason: 'one worker: this machine has one core' };
  const summary = analyzeShapes(new Checker(), spec.model.input, spec.model.layers);
  if (!summary) return { workers: 1, reason: 'one worker' };
  const { macs, params } = summary.totals;
  const batch = Math.min(spec.train.batchSize, trainSamples);
  const perParam = (macs * batch) / Math.max(1, params);
  const runMacs = 3 * macs * trainSamples * spec.train.epochs; // forward + two backward products
  if (perParam < MIN_MACS_PER_PARAM) return { workers: 1, reason: `one worker: ${Math.round(perParam)} multiply-accumulates per parameter and step are too few to share` };
  if (runMacs < MIN_RUN_MACS) return { workers: 1, reason: 'one worker: the run is too short to start a second' };
  return { workers: 2, reason: `two workers: ${Math.round(perParam)} multiply-accumulates per parameter and step` };
}
