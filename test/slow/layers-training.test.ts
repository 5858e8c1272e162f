// The trainable architecture examples on the shipped digits (8x8x1, 10 classes) really train:
// NIN (1x1 convs + global average pooling), a small ResNet (an add skip), a MobileNet-style net
// (depthwise-separable convs + batch norm), and the L1-vs-L2 pair, where L1 must leave more
// weights near zero. Shortened runs (fewer examples and epochs) keep each test a few seconds; slow
// tier all the same. The penalty these runs add is checked in test/unit/regularization.test.ts.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EpochPoint, RunInfo } from '../../protocol/run';
import { parseModel } from '../../model/language/parse';
import type { ModelSpec } from '../../model/language/model';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import type { LoopContext } from '../../engine/train/hooks';
import { useBackend } from '../../engine/train/backend';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, example, wasmDir } from '../unit/helpers';

before(async () => {
  await useBackend('wasm', wasmDir);
});

async function run(file: string, over: { samples?: number; epochs?: number; stats?: boolean }, capture?: (model: LayersModel) => void) {
  const r = parseModel(example(file));
  assert.deepEqual(r.diagnostics.filter((d) => d.severity !== 'info'), [], file);
  assert.ok(r.spec);
  const spec: ModelSpec = {
    ...r.spec,
    data: { ...r.spec.data, ...(over.samples ? { samples: over.samples } : {}) },
    train: { ...r.spec.train, ...(over.epochs ? { epochs: over.epochs } : {}), workers: 1, ...(over.stats ? {} : { statistics: { every: 'off', probe: 32 } }) },
  };
  const epochs: EpochPoint[] = [];
  let info: RunInfo | undefined;
  const notes: string[] = [];
  const before = tf.memory().numTensors;
  const summary = await train(spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled,
    sink: { started: (i) => { info = i; }, batch: () => {}, epoch: (e) => { epochs.push(e); }, log: (_l, m) => { notes.push(m); } },
    hooks: [...standardHooks(spec), ...(capture ? [{ end: (ctx: LoopContext) => capture(ctx.model) }] : [])],
  });
  assert.equal(summary.status, 'completed', summary.error);
  assert.ok(tf.memory().numTensors <= before + 2, `no tensors left behind: ${before} -> ${tf.memory().numTensors}`);
  return { last: epochs[epochs.length - 1] as EpochPoint, first: epochs[0] as EpochPoint, info: info as RunInfo, notes };
}

for (const [file, over, minAcc] of [
  ['digits-nin.model.yaml', { samples: 900, epochs: 8 }, 0.85],
  ['digits-resnet.model.yaml', { samples: 900, epochs: 8, stats: true }, 0.85], // statistics on: they walk the graph too
  ['digits-mobilenet.model.yaml', { samples: 900, epochs: 8 }, 0.8],
] as const) {
  test(`${file} trains on the digits to a sane accuracy`, async () => {
    const { first, last, info } = await run(file, over);
    assert.ok(last.loss < first.loss, `loss fell: ${first.loss} -> ${last.loss}`);
    assert.ok((last.valAccuracy ?? 0) >= minAcc, `val accuracy ${last.valAccuracy} on ${info.backend}${info.backendNote ? ` (${info.backendNote})` : ''}`);
  });
}

test('L1 leaves more near-zero weights than L2, both nets still learn the digits', async () => {
  const nearZero = (model: LayersModel): number => {
    const w = model.layers.find((l) => l.name.startsWith('dense'))?.getWeights()[0] as tf.Tensor;
    const values = w.dataSync();
    return values.filter((v) => Math.abs(v) < 1e-2).length / values.length;
  };
  let l1 = 0;
  let l2 = 0;
  const a = await run('digits-l1.model.yaml', { epochs: 10 }, (m) => { l1 = nearZero(m); });
  const b = await run('digits-l2.model.yaml', { epochs: 10 }, (m) => { l2 = nearZero(m); });
  assert.ok(l1 > l2 + 0.15, `share of |w| < 0.01: L1 ${l1.toFixed(3)}, L2 ${l2.toFixed(3)}`);
  assert.ok((a.last.valAccuracy ?? 0) > 0.85 && (b.last.valAccuracy ?? 0) > 0.85, `accuracies ${a.last.valAccuracy}, ${b.last.valAccuracy}`);
});
