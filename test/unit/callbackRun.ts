// Shared by test/unit/callbacks.test.ts and test/slow/callbacks-examples.test.ts: a sink that
// keeps what a run reports (with the tensor count after each epoch) and a run on the wasm backend.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { BatchPoint, EpochPoint, RunInfo } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import type { TrainingHook, TrainingSink } from '../../engine/train/hooks';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, wasmDir } from './helpers';

export function collect(): TrainingSink & { batches: BatchPoint[]; epochs: EpochPoint[]; logs: string[]; tensors: number[]; info?: RunInfo } {
  const sink = {
    batches: [] as BatchPoint[], epochs: [] as EpochPoint[], logs: [] as string[], tensors: [] as number[], info: undefined as RunInfo | undefined,
    started: (i: RunInfo) => { sink.info = i; },
    batch: (b: BatchPoint) => { sink.batches.push(b); },
    epoch: (e: EpochPoint) => { sink.epochs.push(e); sink.tensors.push(tf.memory().numTensors); },
    log: (_l: string, m: string) => { sink.logs.push(m); },
  };
  return sink;
}

export const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};
/** Trains as the worker does: the hooks the model file asks for, then the test's own. */
export const run = (text: string, sink: TrainingSink, extra: { runDir?: string; hooks?: TrainingHook[] } = {}) => {
  const spec = specOf(text);
  const hooks = [...standardHooks(spec, { runDir: extra.runDir }), ...(extra.hooks ?? [])];
  return train(spec, { runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'wasm', token: neverCancelled, sink, hooks });
};
