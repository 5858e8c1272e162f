// The second data-parallel replica: a worker thread started by the training worker (or the CLI)
// that owns a copy of the model, computes the gradients of its half of every batch, and applies the
// same averaged step as the first replica. It takes one message (its set-up) and then works only
// through shared memory, blocking on Atomics between steps, until told to stop. It runs from the
// worker's own bundle (worker/main.ts calls runReplica when started with REPLICA_ROLE), so the
// extension ships no second copy of tfjs.
import type { MessagePort } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '../backend';
import { buildModel } from '../buildModel';
import { lossFn } from '../losses';
import { makeOptimizer } from '../optimizer';
import { ReplicaStep } from './replicaStep';
import { asReplicaInit, type ReplicaInit } from './replicaInit';
import { learningRateOf, mirrorLearningRate } from './learningRate';
import {
  CMD, CMD_STOP, DONE, LR, N0, N1, SEQ, correctSlot, fail, lossSlot, sharedViews, signal, waitFor, type SharedViews,
} from './sharedState';

/** workerData of a thread started as the second replica. */
export const REPLICA_ROLE = { role: 'modelLabReplica' } as const;
export const isReplicaThread = (data: unknown): boolean => typeof data === 'object' && data !== null && (data as { role?: unknown }).role === REPLICA_ROLE.role;

export function runReplica(port: MessagePort): void {
  port.once('message', (raw: unknown) => {
    const init = asReplicaInit(raw);
    if (!init) {
      port.postMessage({ type: 'error', message: 'The replica got a malformed set-up message.' });
      return;
    }
    void run(port, init);
  });
}

async function run(port: MessagePort, init: ReplicaInit): Promise<void> {
  const views = sharedViews(init.sab, init.layout);
  try {
    await useBackend('wasm', init.wasmDir);
    const spec = init.spec;
    const model = buildModel(spec);
    model.setWeights(init.weights.map((w) => tf.tensor(w.values, w.shape, 'float32')));
    const optimizer = makeOptimizer(spec.train, 'wasm');
    const step = new ReplicaStep(model, optimizer, lossFn(spec.train.loss), spec.train.metrics.includes('accuracy'));
    if (step.exchange !== init.layout.exchange) throw new Error(`The replica's model has ${step.exchange} values to exchange, the first one's ${init.layout.exchange}.`);
    port.postMessage({ type: 'ready' });
    loop(views, step, optimizer, init);
    // Stopped: the final weights, which tests compare with the first replica's byte for byte.
    port.postMessage({ type: 'stopped', weights: model.getWeights().map((w) => w.dataSync().slice()) });
  } catch (e) {
    const err = e as Error;
    fail(views, err?.message ?? String(e));
    port.postMessage({ type: 'error', message: err?.message ?? String(e) });
  }
}

/** Blocks on the control block: one step per bump of SEQ, until CMD_STOP. */
function loop(v: SharedViews, step: ReplicaStep, optimizer: tf.Optimizer, init: ReplicaInit): void {
  const { xShape, yWidth } = init;
  for (let seq = 1; ; seq++) {
    waitFor(v, SEQ, seq, Infinity, 'The first training worker');
    if (Atomics.load(v.ctrl, CMD) === CMD_STOP) return;
    const parity = seq & 1;
    const n1 = Atomics.load(v.ctrl, N1);
    const n0 = Atomics.load(v.ctrl, N0);
    const lr = v.f64[LR] as number;
    if (!Number.isNaN(lr) && lr !== learningRateOf(optimizer)) mirrorLearningRate(optimizer, lr);
    if (n1 > 0) {
      const x = tf.tensor(v.x.subarray(0, n1 * xShape.reduce((a, b) => a * b, 1)), [n1, ...xShape], 'float32');
      const y = tf.tensor2d(v.y.subarray(0, n1 * yWidth), [n1, yWidth]);
      const r = step.computeHalf(x, y, v.grads(1, parity));
      v.f64[lossSlot(parity)] = r.loss;
      v.f64[correctSlot(parity)] = r.correct;
    }
    signal(v.ctrl, DONE + 1, seq);
    waitFor(v, DONE, seq, Infinity, 'The first training worker');
    const n = n0 + n1;
    step.applyAveraged(v.grads(0, parity), v.grads(1, parity), n0 / n, n1 / n);
  }
}
