// Feature maps for an example the user picks: the maps equal a direct computation with tf on that
// example, a different example gives different maps, answers fit one message, the live hook answers
// at once and after every epoch with no tensor left behind, the saved model of a finished run gives
// the same maps as its last epoch did, and the messages carrying picks are validated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { ExamplePick, PickedLayerMaps, PickedMaps, PickedMapsReply } from '../../protocol/pickedMaps';
import { parseModel } from '../../model/language/parse';
import { buildModel } from '../../engine/train/buildModel';
import { useBackend } from '../../engine/train/backend';
import { train } from '../../engine/train/loop';
import { encode, toTensors } from '../../engine/train/tensors';
import { loadTrainingData } from '../../engine/data/loadTraining';
import { neverCancelled } from '../../common/cancellation';
import { convLayersOf, fitMaps, PickedMapsComputer } from '../../engine/stats/pickedMaps';
import { PickedMapsChannel } from '../../engine/stats/pickedMapsHook';
import { openRecordedMaps } from '../../engine/stats/recordedMaps';
import { MAX_MESSAGE_CHARS } from '../../common/stats/budget';
import { dequantizeExample, quantizeMaps } from '../../common/stats/mapCodec';
import { asHostToWorker, asWorkerToHost } from '../../protocol/worker';
import { asHostToInside, asInsideToHost } from '../../protocol/inside';
import { datasetsDir, example, wasmDir } from './helpers';

const CNN = example('digits-cnn.model.yaml').replace('epochs: 15', 'epochs: 3');

function setup() {
  const parsed = parseModel(CNN);
  assert.ok(parsed.spec);
  const spec = parsed.spec;
  const { train: trainSet, val } = loadTrainingData(spec, { datasetsDir, modelFile: '' });
  const model = buildModel(spec);
  const sets = { train: encode(trainSet, spec.model.input, 10), validation: toTensors(encode(val, spec.model.input, 10)) };
  return { spec, model, sets, trainSet, val };
}

/** A layer's maps decoded from their bytes, with the scale of each value's channel. */
function decoded(l: Pick<PickedLayerMaps, 'shape' | 'quantized'> | undefined): { values: Float32Array; scaleAt: (i: number) => number } {
  assert.ok(l);
  const values = dequantizeExample(l.quantized, l.shape, 0);
  assert.ok(values, `bytes decode to ${l.shape}`);
  const scales = l.quantized.scales[0] as number[];
  return { values, scaleAt: (i) => scales[i % l.shape[2]] as number };
}

const mapsOf = (r: PickedMapsReply): PickedMaps => {
  assert.ok('maps' in r, 'error' in r ? r.error : 'no maps');
  return r.maps;
};

test('picked maps of every conv layer equal tf.conv2d and the layers applied one by one to that example', async () => {
  await useBackend('cpu', wasmDir);
  const { spec, model, sets, trainSet } = setup();
  const computer = new PickedMapsComputer(model, convLayersOf(spec), sets, true);
  const pick: ExamplePick = { split: 'train', index: 7 };
  const maps = mapsOf(computer.compute(pick, 12, 1));
  assert.deepEqual(maps.layers.map((l) => [l.id, l.shape, l.totalChannels, l.stride]), [['conv2d_1', [8, 8, 8], 8, 1], ['conv2d_3', [4, 4, 16], 16, 1]]);
  assert.deepEqual(maps.counts, { train: sets.train.n, validation: sets.validation.n });
  assert.equal(maps.label, trainSet.y[7]);
  assert.deepEqual([maps.step, maps.epoch], [12, 1]);

  const row = trainSet.x.slice(7 * 64, 8 * 64);
  const input = decoded(maps.input);
  assert.deepEqual(maps.input.shape, [8, 8, 1]);
  row.forEach((v, i) => assert.ok(Math.abs((input.values[i] as number) - v) <= input.scaleAt(i) / 254 + 1e-6, `input[${i}]`));
  // Bytes: each value within half a step (its channel's scale / 254) of the float, the scale being
  // the channel's largest |value|.
  const close = (layer: PickedLayerMaps | undefined, want: ArrayLike<number>, what: string): void => {
    const { values: got, scaleAt } = decoded(layer);
    assert.equal(got.length, want.length, what);
    const c = layer?.shape[2] ?? 1;
    for (let k = 0; k < c; k++) {
      let max = 0;
      for (let i = k; i < want.length; i += c) max = Math.max(max, Math.abs(want[i] as number));
      assert.ok(Math.abs(scaleAt(k) - max) <= 1e-6 * Math.max(1, max), `${what} channel ${k}: scale ${scaleAt(k)} vs max ${max}`);
    }
    for (let i = 0; i < got.length; i++) assert.ok(Math.abs((got[i] as number) - (want[i] as number)) <= scaleAt(i) / 254 + 1e-6, `${what}[${i}]: ${got[i]} vs ${want[i]}`);
  };
  // The first conv layer by hand: relu(conv2d(x, kernel, same) + bias).
  const [kernel, bias] = model.getLayer('conv2d_1').getWeights();
  const direct = tf.tidy(() => tf.relu(tf.add(tf.conv2d(tf.tensor4d(row, [1, 8, 8, 1]), kernel as tf.Tensor4D, 1, 'same'), bias as tf.Tensor)).dataSync());
  close(maps.layers[0], direct, 'conv2d_1');
  // Every conv layer: the model's layers applied in turn to the example.
  const perLayer = tf.tidy(() => {
    let t: tf.Tensor = tf.tensor4d(row, [1, 8, 8, 1]);
    const out: Record<string, Float32Array> = {};
    for (const layer of model.layers.slice(1)) {
      t = layer.apply(t) as tf.Tensor;
      out[layer.name] = t.dataSync() as Float32Array;
    }
    return out;
  });
  close(maps.layers[1], perLayer.conv2d_3 as Float32Array, 'conv2d_3');
  const probs = perLayer[model.layers[model.layers.length - 1]?.name ?? ''] as Float32Array;
  assert.equal(maps.predicted, probs.indexOf(Math.max(...probs)));

  // Another example, and a validation example, give other maps; out of range is a clear error.
  const other = mapsOf(computer.compute({ split: 'train', index: 8 }, 12, 1));
  assert.notDeepEqual(decoded(other.layers[0]).values, decoded(maps.layers[0]).values);
  const v = mapsOf(computer.compute({ split: 'validation', index: 3 }, 12, 1));
  assert.equal(v.label, tf.tidy(() => tf.argMax(tf.slice(sets.validation.y, 3, 1), 1).dataSync()[0]));
  const bad = computer.compute({ split: 'validation', index: sets.validation.n }, 0, 0);
  assert.ok('error' in bad && bad.error.includes(`has ${sets.validation.n} (0 to ${sets.validation.n - 1})`), JSON.stringify(bad));

  // No tensor leaks: many picks leave the count where it was.
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) computer.compute({ split: i % 2 ? 'train' : 'validation', index: i }, 0, 0);
  assert.equal(tf.memory().numTensors, before);
  model.dispose();
  tf.dispose([sets.validation.x, sets.validation.y]);
});

test('fitMaps cuts channels, then rows and columns, until the answer fits one message', () => {
  const big = (h: number, w: number, c: number) => ({ shape: [h, w, c], values: Float32Array.from({ length: h * w * c }, (_, i) => Math.sin(i) * 1.2345678) });
  const head = { pick: { split: 'train' as const, index: 0 }, counts: { train: 1, validation: 0 }, step: 0, epoch: 0, label: 1, predicted: 1, classification: true };
  const layers = [{ id: 'a', ...big(64, 64, 32) }, { id: 'b', ...big(32, 32, 64) }];
  const maps = fitMaps(head, big(64, 64, 3), layers, MAX_MESSAGE_CHARS);
  assert.ok(JSON.stringify(maps).length <= MAX_MESSAGE_CHARS);
  for (const l of maps.layers) {
    assert.equal(decoded(l).values.length, l.shape[0] * l.shape[1] * l.shape[2]);
    assert.ok(l.shape[2] >= 1 && l.shape[2] < l.totalChannels, `${l.id}: channels cut (${l.shape[2]} of ${l.totalChannels})`);
  }
  // The kept values are the first channels at the kept positions.
  const a = maps.layers[0];
  assert.ok(a);
  const [oh, ow, c] = a.shape;
  const src = layers[0]?.values as Float32Array;
  const { values: got, scaleAt } = decoded(a);
  for (let y = 0; y < oh; y++) for (let x = 0; x < ow; x++) for (let k = 0; k < c; k++) {
    const want = src[((y * a.stride) * 64 + x * a.stride) * 32 + k] as number;
    assert.ok(Math.abs((got[(y * ow + x) * c + k] as number) - want) <= scaleAt(k) / 254 + 1e-6, `a at ${y},${x},${k}`);
  }
  assert.ok(a.stride > 1 || c < 32, 'something was cut');
  // A small model is sent whole.
  const small = fitMaps(head, big(8, 8, 1), [{ id: 'a', ...big(8, 8, 4) }], MAX_MESSAGE_CHARS);
  assert.deepEqual([small.layers[0]?.shape, small.layers[0]?.stride, small.input.stride], [[8, 8, 4], 1, 1]);
});

test('the live hook answers a pick when training begins and again after every epoch, tensors flat; the saved model answers like the last epoch', async () => {
  const parsed = parseModel(CNN);
  assert.ok(parsed.spec);
  const replies: PickedMapsReply[] = [];
  const channel = new PickedMapsChannel((r) => replies.push(r));
  channel.request({ split: 'validation', index: 5 });
  const tensors: number[] = [];
  const runDir = mkdtempSync(join(tmpdir(), 'ml-picked-'));
  const summary = await train(parsed.spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, runDir, hooks: [channel.hook()],
    sink: { started: () => {}, batch: () => {}, log: () => {}, epoch: () => { tensors.push(tf.memory().numTensors); } },
  });
  assert.equal(summary.status, 'completed');
  const maps = replies.map(mapsOf);
  assert.deepEqual(maps.map((m) => m.epoch), [0, 1, 2, 3], 'at begin, then after each of 3 epochs');
  assert.ok(maps.every((m) => m.pick.split === 'validation' && m.pick.index === 5), 'the same pick every epoch');
  assert.notDeepEqual(decoded(maps[3]?.layers[0]).values, decoded(maps[0]?.layers[0]).values, 'training changed the maps');
  assert.equal(new Set(tensors).size, 1, `tensors flat across epochs: ${tensors.join(', ')}`);
  // After the end the hook stays silent (the host asks the saved model instead).
  channel.request({ split: 'train', index: 0 });
  assert.equal(replies.length, 4);

  const recorded = await openRecordedMaps({ runDir, source: CNN, modelFile: '', datasetsDir, wasmDir, backend: 'auto' });
  const before = tf.memory().numTensors;
  const again = mapsOf(recorded.answer({ split: 'validation', index: 5 }));
  assert.equal(tf.memory().numTensors, before, 'no tensor left by an answer');
  assert.deepEqual([again.epoch, again.step], [maps[3]?.epoch, maps[3]?.step]);
  assert.deepEqual(again.layers, maps[3]?.layers, 'the saved model gives the maps of the last epoch');
  assert.deepEqual(again.input, maps[3]?.input);
  recorded.dispose();
  await assert.rejects(openRecordedMaps({ runDir: mkdtempSync(join(tmpdir(), 'ml-empty-')), source: CNN, modelFile: '', datasetsDir, wasmDir, backend: 'auto' }), /no saved model/);
});

test('pick messages are validated on every boundary', () => {
  assert.deepEqual(asInsideToHost({ type: 'pickExample', pick: { split: 'validation', index: 3 } }), { type: 'pickExample', pick: { split: 'validation', index: 3 } });
  for (const pick of [{ split: 'test', index: 1 }, { split: 'train', index: -1 }, { split: 'train', index: 1.5 }, { split: 'train', index: '2' }, { split: 'train' }, null]) {
    assert.equal(asInsideToHost({ type: 'pickExample', pick }), undefined, JSON.stringify(pick));
    assert.equal(asHostToWorker({ type: 'pickMaps', pick }), undefined, JSON.stringify(pick));
  }
  assert.deepEqual(asInsideToHost({ type: 'followLive' }), { type: 'followLive' });
  assert.ok(asHostToWorker({ type: 'pickMaps', pick: { split: 'train', index: 0 } }));
  assert.ok(asHostToWorker({ type: 'serveMaps', runDir: '/r', source: 'x', modelFile: '/m.model.yaml', assetsDir: '/a', backend: 'cpu' }));
  assert.equal(asHostToWorker({ type: 'serveMaps', runDir: '/r', source: 'x', modelFile: '/m', assetsDir: '/a', backend: 'gpu' }), undefined);
  const maps: PickedMaps = {
    pick: { split: 'train', index: 2 }, counts: { train: 10, validation: 2 }, step: 3, epoch: 1, input: { shape: [2, 2, 1], quantized: quantizeMaps([0, 1, 2, 3], [2, 2, 1], 1), stride: 1 },
    label: 1, predicted: 0, classification: true, layers: [{ id: 'c', shape: [1, 1, 2], quantized: quantizeMaps([0.5, -1], [1, 1, 2], 1), totalChannels: 4, stride: 2 }],
  };
  assert.ok(asWorkerToHost({ type: 'pickedMaps', reply: { pick: maps.pick, maps } }));
  assert.ok(asWorkerToHost({ type: 'pickedMaps', reply: { pick: maps.pick, error: 'no saved model' } }));
  // Bytes that do not decode to the layer's shape, a scale that is not a number, the old number form: refused.
  for (const layer of [
    { id: 'c', shape: [1, 1, 3], quantized: quantizeMaps([0.5, -1], [1, 1, 2], 1), totalChannels: 4, stride: 2 },
    { id: 'c', shape: [1, 1, 2], quantized: { scales: [['x', 1]], bytes: quantizeMaps([0.5, -1], [1, 1, 2], 1).bytes }, totalChannels: 4, stride: 2 },
    { id: 'c', shape: [1, 1, 2], quantized: { scales: [[1, 1]], bytes: ['@@@@'] }, totalChannels: 4, stride: 2 },
    { id: 'c', shape: [1, 1, 2], values: [0.5, -1], totalChannels: 4, stride: 2 },
  ]) assert.equal(asWorkerToHost({ type: 'pickedMaps', reply: { pick: maps.pick, maps: { ...maps, layers: [layer] } } }), undefined, JSON.stringify(layer));
  for (const input of [{ shape: [2, 2, 1], quantized: quantizeMaps([0, 1], [1, 2, 1], 1), stride: 1 }, { shape: [2, 2, 1], values: [0, 1, 2, 3], stride: 1 }]) {
    assert.equal(asWorkerToHost({ type: 'pickedMaps', reply: { pick: maps.pick, maps: { ...maps, input } } }), undefined, JSON.stringify(input));
  }
  assert.equal(asWorkerToHost({ type: 'pickedMaps', reply: { pick: maps.pick } }), undefined);
  assert.ok(asHostToInside({ type: 'pickedMaps', runId: 'r', reply: { pick: maps.pick, maps } }));
  assert.ok(asHostToInside({ type: 'snapshot', view: 'filters', run: { id: 'r', name: 'n', status: 'completed', modelFile: '' }, records: [], diagnostics: [], picked: { pick: maps.pick, maps }, following: 'selected' }));
  assert.equal(asHostToInside({ type: 'snapshot', view: 'filters', run: { id: 'r', name: 'n', status: 'completed', modelFile: '' }, records: [], diagnostics: [], following: 'pinned' }), undefined);
});

test('a model without conv layers answers a pick with why there are no maps, and trains on', async () => {
  const parsed = parseModel(example('xor.model.yaml').replace('epochs: 60', 'epochs: 2'));
  assert.ok(parsed.spec);
  const replies: PickedMapsReply[] = [];
  const channel = new PickedMapsChannel((r) => replies.push(r));
  channel.request({ split: 'train', index: 0 });
  const summary = await train(parsed.spec, {
    runId: 't', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, hooks: [channel.hook()],
    sink: { started: () => {}, batch: () => {}, log: () => {}, epoch: () => {} },
  });
  assert.equal(summary.status, 'completed');
  assert.deepEqual(replies, [{ pick: { split: 'train', index: 0 }, error: 'No feature maps: this model has no conv2d layer.' }]);
});
