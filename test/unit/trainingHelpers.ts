// Shared by test/unit/training.test.ts and test/slow/training-examples.test.ts: a sink that keeps
// what the training loop reports, the loop's options, and a model file parsed without errors; and a
// run that must fail on its data (test/unit/dataDiagnostic.test.ts, dataLimits.test.ts).
import assert from 'node:assert/strict';
import type { BatchPoint, EpochPoint, RunInfo } from '../../protocol/run';
import type { TrainingDiagnostic } from '../../protocol/stats';
import { parseModel } from '../../model/language/parse';
import type { TrainingSink } from '../../engine/train/hooks';
import { train, type TrainOptions } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import type { ModelSpec } from '../../model/language/model';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, wasmDir } from './helpers';

export function collect(): TrainingSink & { batches: BatchPoint[]; epochs: EpochPoint[]; info?: RunInfo } {
  const sink = {
    batches: [] as BatchPoint[], epochs: [] as EpochPoint[], info: undefined as RunInfo | undefined,
    started: (i: RunInfo) => { sink.info = i; },
    batch: (b: BatchPoint) => { sink.batches.push(b); },
    epoch: (e: EpochPoint) => { sink.epochs.push(e); },
    log: () => {},
  };
  return sink;
}

export const opts = (sink: TrainingSink, token = neverCancelled) => ({ runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto' as const, token, sink });
export const specOf = (text: string) => {
  const r = parseModel(text);
  assert.ok(r.spec, JSON.stringify(r.diagnostics));
  return r.spec;
};

/** Trains as the worker does: with the hooks the model file asks for, unless the test gives its own. */
export const run = (spec: ModelSpec, o: Omit<TrainOptions, 'hooks'> & { hooks?: TrainOptions['hooks'] }) => train(spec, { ...o, hooks: o.hooks ?? standardHooks(spec) });

/** Trains `spec` on the cpu, asserting that the run fails with `error`; returns the diagnostics lists it sent. */
export async function trainUntilFailure(spec: ModelSpec, modelFile: string, error: RegExp | ((e: Error) => boolean)): Promise<TrainingDiagnostic[][]> {
  const diagnostics: TrainingDiagnostic[][] = [];
  await assert.rejects(
    run(spec, {
      runId: 'r', modelFile, datasetsDir, wasmDir, backend: 'cpu', token: neverCancelled,
      sink: { started() {}, batch() {}, epoch() {}, log() {}, diagnostics: (list) => diagnostics.push(list) },
    }),
    error,
  );
  return diagnostics;
}
