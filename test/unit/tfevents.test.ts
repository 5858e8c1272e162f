import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StatsRecord } from '../../protocol/stats';
import { crc32c, maskCrc, maskedCrc32c, unmaskCrc } from '../../engine/export/crc32c';
import { EVENTS_PREFIX, exportRunToTensorBoard } from '../../engine/export/tensorboard';
import { frameRecord } from '../../engine/export/tfrecord';
import { newRunDir, readRun, RunRecorder } from '../../engine/runs/runStore';
import { readStats, StatsRecorder } from '../../engine/stats/record';
import { parseModel } from '../../model/language/parse';
import { train } from '../../engine/train/loop';
import { standardHooks } from '../../engine/train/standardHooks';
import { neverCancelled } from '../../common/cancellation';
import { datasetsDir, wasmDir, XOR } from './helpers';
import { decodeEvent, readRecords, referenceCrc32c, referenceMask } from './tfeventsReader';

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);

test('crc32c matches the standard check value and the iSCSI (RFC 3720) test vectors', () => {
  assert.equal(crc32c(bytes('123456789')), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(32)), 0x8a9136aa);
  assert.equal(crc32c(new Uint8Array(32).fill(0xff)), 0x62a8ab43);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i)), 0x46dd794e);
  assert.equal(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i)), 0x113fdb5c);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  // The test's own table-driven CRC agrees, so the reader below checks against an independent CRC.
  assert.equal(referenceCrc32c(bytes('123456789')), 0xe3069283);
});

test('masked CRCs follow TFRecord: rotate right by 15 and add 0xa282ead8 (mod 2^32)', () => {
  for (const crc of [0, 1, 0xe3069283, 0x8a9136aa, 0x62a8ab43, 0xffffffff, 0x80000000]) {
    assert.equal(maskCrc(crc), referenceMask(crc), `mask(${crc.toString(16)})`);
    assert.equal(unmaskCrc(maskCrc(crc)), crc);
  }
  assert.equal(maskCrc(0), 0xa282ead8);
  // By hand: 0xe3069283 rotated right by 15 is 0x2507c60d; + 0xa282ead8 = 0xc78ab0e5.
  assert.equal(maskCrc(0xe3069283), 0xc78ab0e5);
  assert.equal(maskedCrc32c(bytes('123456789')), 0xc78ab0e5);
  const framed = frameRecord(bytes('abc'));
  assert.equal(framed.length, 8 + 4 + 3 + 4);
  assert.deepEqual(readRecords(framed).map((b) => b.toString()), ['abc']);
  const damaged = Buffer.from(framed);
  damaged.writeUInt8(damaged.readUInt8(13) ^ 1, 13);
  assert.throws(() => readRecords(damaged), /data CRC/);
});

/** Trains XOR briefly with statistics, recording to a run folder the way the extension does. */
async function recordedRun(): Promise<string> {
  const parsed = parseModel(XOR.replace('epochs: 60', 'epochs: 4'));
  assert.ok(parsed.spec, JSON.stringify(parsed.diagnostics));
  const root = mkdtempSync(join(tmpdir(), 'modellab-tfevents-'));
  const dir = newRunDir(root, 'xor');
  const recorder = new RunRecorder(dir);
  const stats = new StatsRecorder(dir);
  const summary = await train(parsed.spec, {
    runId: 'tb', modelFile: '', datasetsDir, wasmDir, backend: 'auto', token: neverCancelled, hooks: standardHooks(parsed.spec),
    sink: {
      started: (info) => recorder.writeInfo(info),
      batch: (b) => recorder.append([b], []),
      epoch: (e) => recorder.append([], [e]),
      stats: (r: StatsRecord) => stats.append(r),
      log: () => {},
    },
  });
  recorder.writeSummary(summary);
  return dir;
}

test('a recorded run exports to an event file TensorBoard can read: scalars and histograms equal to the run', async () => {
  const dir = await recordedRun();
  const result = exportRunToTensorBoard(dir);
  const run = readRun(dir);
  assert.ok(run);
  const files = readdirSync(dir).filter((f) => f.startsWith(EVENTS_PREFIX));
  assert.equal(files.length, 1);
  assert.match(files[0] as string, /^events\.out\.tfevents\.\d{10}\.\S+$/);
  const events = readRecords(readFileSync(join(dir, files[0] as string))).map(decodeEvent);
  assert.equal(events.length, result.events);
  assert.equal(events[0]?.fileVersion, 'brain.Event:2');
  for (let i = 1; i < events.length; i++) assert.ok((events[i] as { wallTime: number }).wallTime >= (events[i - 1] as { wallTime: number }).wallTime, 'wall time never goes back');

  const series = (tag: string) => events.flatMap((e) => e.values.filter((v) => v.tag === tag).map((v) => ({ step: e.step, value: v.simple as number })));
  const f32 = Math.fround;
  assert.deepEqual(series('epoch/loss'), run.epochs.map((e) => ({ step: e.epoch, value: f32(e.loss) })));
  assert.deepEqual(series('epoch/accuracy'), run.epochs.map((e) => ({ step: e.epoch, value: f32(e.accuracy as number) })));
  assert.deepEqual(series('epoch/val_loss'), run.epochs.map((e) => ({ step: e.epoch, value: f32(e.valLoss as number) })));
  assert.deepEqual(series('epoch/val_accuracy'), run.epochs.map((e) => ({ step: e.epoch, value: f32(e.valAccuracy as number) })));
  assert.deepEqual(series('epoch/learning_rate'), run.epochs.map((e) => ({ step: e.epoch, value: f32(e.learningRate) })));
  assert.equal(run.batches.length, 4 * 10);
  assert.deepEqual(series('batch/loss'), run.batches.map((b) => ({ step: b.step, value: f32(b.loss) })));

  const stats = readStats(dir);
  assert.ok(stats.length >= 5, `statistics at init and after each epoch: ${stats.length}`);
  const layer = stats[stats.length - 1]?.layers[0];
  assert.ok(layer?.kernel);
  const tag = `${layer.id}/kernel`;
  const histos = events.flatMap((e) => e.values.filter((v) => v.tag === tag).map((v) => ({ step: e.step, h: v.histo })));
  assert.deepEqual(histos.map((h) => h.step), stats.map((s) => s.step));
  const last = histos[histos.length - 1]?.h;
  assert.ok(last);
  assert.deepEqual(last.counts, layer.kernel.hist.counts);
  assert.equal(last.num, layer.kernel.hist.counts.reduce((a, b) => a + b, 0));
  assert.equal(last.min, layer.kernel.min);
  assert.equal(last.max, layer.kernel.max);
  assert.equal(last.limits.length, last.counts.length);
  assert.equal(last.limits[last.limits.length - 1], layer.kernel.hist.hi);
  assert.ok(last.limits.every((l, i) => i === 0 || l > (last.limits[i - 1] as number)), 'bucket limits increase');
  assert.ok(result.histograms >= stats.length * 2, `kernel and bias histograms: ${result.histograms}`);

  // Exporting again replaces the event file instead of adding a second one beside it.
  exportRunToTensorBoard(dir);
  assert.equal(readdirSync(dir).filter((f) => f.startsWith(EVENTS_PREFIX)).length, 1);
  assert.equal(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length, 0);
});

test('exporting a folder that is not a run says so', () => {
  const dir = mkdtempSync(join(tmpdir(), 'modellab-notarun-'));
  assert.throws(() => exportRunToTensorBoard(dir), /not a Model Lab run folder/);
});
