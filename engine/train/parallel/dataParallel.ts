// Data-parallel training on two threads: this thread (the training worker, or the CLI) is replica 0
// and the coordinator; it starts replica 1 (replicaMain.ts) in a worker thread of its own, so the
// extension host never takes part. Per step, each replica takes half the batch, both write their
// gradients to shared memory, and both apply the same weighted average with the same optimizer.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { ModelSpec } from '../../../model/language/model';
import type { lossFn } from '../losses';
import type { BatchAssembler, EncodedSet } from '../tensors';
import { asReplicaMessage, type ReplicaInit } from './replicaInit';
import { REPLICA_ROLE } from './replicaMain';
import { learningRateOf } from './learningRate';
import { ReplicaStep } from './replicaStep';
import {
  allocShared, CMD, CMD_STEP, CMD_STOP, DONE, LR, N0, N1, SEQ, correctSlot, fail, lossSlot, sharedViews, signal, waitFor,
  type SharedLayout, type SharedViews,
} from './sharedState';

/** Longest a step may wait for the other replica before training fails with a message. */
const STEP_TIMEOUT_MS = 10 * 60_000;
const START_TIMEOUT_MS = 60_000;

export interface DataParallelArgs {
  spec: ModelSpec;
  model: tfl.LayersModel;
  optimizer: tf.Optimizer;
  loss: ReturnType<typeof lossFn>;
  wantAcc: boolean;
  set: EncodedSet;
  batches: BatchAssembler;
  wasmDir: string;
}

/** The replica's thread: the training worker's bundle (dist/worker.js, next to the extension's and
 *  the CLI's bundles) in its replica role; from source (tests, bench under tsx), a bootstrap that
 *  registers tsx first, since worker threads will not load .ts themselves. */
function startReplica(): Worker {
  const bundled = join(__dirname, 'worker.js');
  if (existsSync(bundled)) return new Worker(bundled, { workerData: REPLICA_ROLE, stdout: false, stderr: false });
  const boot = `require('tsx/cjs'); const { parentPort } = require('node:worker_threads');
    require(${JSON.stringify(join(__dirname, 'replicaMain.ts'))}).runReplica(parentPort);`;
  return new Worker(boot, { eval: true, workerData: REPLICA_ROLE, stdout: false, stderr: false });
}

export class DataParallel {
  private seq = 0;
  private constructor(private readonly a: DataParallelArgs, private readonly step0: ReplicaStep, private readonly v: SharedViews, private readonly worker: Worker) {}

  static async start(a: DataParallelArgs): Promise<DataParallel> {
    const step0 = new ReplicaStep(a.model, a.optimizer, a.loss, a.wantAcc);
    const xRow = a.set.xShape.reduce((x, y) => x * y, 1);
    const layout: SharedLayout = { exchange: step0.exchange, maxRows: Math.floor(a.spec.train.batchSize / 2), xRow, yWidth: a.set.yWidth };
    const sab = allocShared(layout);
    const v = sharedViews(sab, layout);
    const weights = a.model.getWeights().map((w) => ({ values: w.dataSync().slice() as Float32Array, shape: w.shape }));
    const worker = startReplica();
    const init: ReplicaInit = { type: 'init', spec: a.spec, wasmDir: a.wasmDir, sab, layout, xShape: a.set.xShape, yWidth: a.set.yWidth, weights };
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('The second training worker did not start within a minute.')), START_TIMEOUT_MS);
        const done = (e?: Error) => {
          clearTimeout(timer);
          worker.removeAllListeners('message');
          worker.removeAllListeners('error');
          if (e) reject(e);
          else resolve();
        };
        worker.on('message', (raw: unknown) => {
          const m = asReplicaMessage(raw);
          if (!m) done(new Error('The second training worker sent a malformed message.'));
          else if (m.type === 'ready') done();
          else done(new Error(`The second training worker failed to start: ${m.message}`));
        });
        worker.on('error', (e) => done(new Error(`The second training worker crashed: ${e.message}`)));
        worker.postMessage(init);
      });
    } catch (e) {
      await worker.terminate();
      throw e;
    }
    // A crash after start-up is seen by the step waiting for it (FAILED, or the timeout).
    worker.on('error', (e) => fail(v, `crashed: ${e.message}`));
    return new DataParallel(a, step0, v, worker);
  }

  /** One optimizer step on the rows `idx`: [mean loss, accuracy] over the whole batch. */
  step(idx: Int32Array): [number, number | undefined] {
    const { v, a } = this;
    const n = idx.length;
    const n0 = Math.ceil(n / 2);
    const n1 = n - n0;
    const seq = ++this.seq;
    const parity = seq & 1;
    a.batches.writeRows(idx.subarray(n0), v.x, v.y);
    Atomics.store(v.ctrl, N0, n0);
    Atomics.store(v.ctrl, N1, n1);
    Atomics.store(v.ctrl, CMD, CMD_STEP);
    v.f64[LR] = learningRateOf(a.optimizer);
    signal(v.ctrl, SEQ, seq);
    const { x, y } = a.batches.batch(idx.subarray(0, n0));
    const mine = this.step0.computeHalf(x, y, v.grads(0, parity));
    signal(v.ctrl, DONE, seq);
    waitFor(v, DONE + 1, seq, STEP_TIMEOUT_MS, 'The second training worker');
    const w0 = n0 / n;
    const w1 = n1 / n;
    this.step0.applyAveraged(v.grads(0, parity), v.grads(1, parity), w0, w1);
    const loss = n1 > 0 ? mine.loss * w0 + (v.f64[lossSlot(parity)] as number) * w1 : mine.loss;
    const correct = mine.correct + (n1 > 0 ? (v.f64[correctSlot(parity)] as number) : 0);
    return [loss, a.wantAcc ? correct / n : undefined];
  }

  /** The second replica's weights, for tests (they must equal this one's byte for byte). */
  async replicaWeights(): Promise<Float32Array[]> {
    const got = new Promise<Float32Array[]>((resolve, reject) => this.worker.once('message', (m: unknown) => {
      const w = (m as { type?: string; weights?: unknown }).weights;
      if (Array.isArray(w) && w.every((x) => x instanceof Float32Array)) resolve(w);
      else reject(new Error('The second training worker did not send its weights.'));
    }));
    signal(this.v.ctrl, CMD, CMD_STOP);
    signal(this.v.ctrl, SEQ, this.seq + 1);
    return got;
  }

  async dispose(): Promise<void> {
    signal(this.v.ctrl, CMD, CMD_STOP);
    signal(this.v.ctrl, SEQ, this.seq + 1);
    await this.worker.terminate();
  }
}
