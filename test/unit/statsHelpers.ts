// Trains a model file with the statistics hook and collects what it sends (test helper).
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { StatsRecord, TrainingDiagnostic } from '../../protocol/stats';
import type { EpochPoint } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, wasmDir } from './helpers';

export async function trainWithStats(text: string): Promise<{ stats: StatsRecord[]; diagnostics: TrainingDiagnostic[]; tensorsPerEpoch: number[]; status: string; epochs: EpochPoint[] }> {
  const parsed = parseModel(text);
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  const stats: StatsRecord[] = [];
  let diagnostics: TrainingDiagnostic[] = [];
  const tensorsPerEpoch: number[] = [];
  const epochs: EpochPoint[] = [];
  const summary = await train(parsed.spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, hooks: standardHooks(parsed.spec),
    sink: {
      started: () => {}, batch: () => {}, log: () => {},
      epoch: (p) => { epochs.push(p); tensorsPerEpoch.push(tf.memory().numTensors); },
      stats: (r) => { stats.push(r); },
      diagnostics: (list) => { diagnostics = list; },
    },
  });
  return { stats, diagnostics, tensorsPerEpoch, status: summary.status, epochs };
}

