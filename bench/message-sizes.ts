// `npm run bench:sizes`: how big the messages are that carry the inside of the network to the
// panels, as sent (feature maps, filters and picked-example maps as bytes, common/stats/mapCodec.ts)
// and, as the reference in the same run, the same values as 4-digit JSON numbers (how they went
// before). Trains the digits CNN (3 epochs) and the MNIST CNN (1 epoch) with their statistics and a
// pick of validation example 3, and prints the statistics record of an epoch, its slice for each
// panel, and the picked-maps answer after the last epoch, in KB of JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PickedMapsReply } from '../protocol/pickedMaps';
import { type StatsRecord, filterStackShape } from '../protocol/stats';
import { assetDirs } from '../engine/assets';
import { parseModel } from '../model/language/parse';
import { dequantizeExample } from '../common/stats/mapCodec';
import { PickedMapsChannel } from '../engine/stats/pickedMapsHook';
import { round4 } from '../engine/stats/summarize';
import { sliceRecord } from '../common/stats/viewSlices';
import { train } from '../engine/train/loop';
import { neverCancelled } from '../common/cancellation';

const root = join(__dirname, '..');
const dirs = assetDirs(root);
const kb = (v: unknown): string => (JSON.stringify(v).length / 1024).toFixed(1);
const numbers = (q: { scales: number[][]; bytes: string[] }, shape: readonly number[]): number[][] =>
  q.bytes.map((_, e) => Array.from(dequantizeExample(q, shape, e) ?? [], round4));

/** The record with its maps and filters as 4-digit numbers instead of bytes. */
function recordAsNumbers(r: StatsRecord): StatsRecord {
  return {
    ...r,
    layers: r.layers.map((l) => ({
      ...l,
      ...(l.maps?.quantized ? { maps: { shape: l.maps.shape, examples: numbers(l.maps.quantized, l.maps.shape) } } : {}),
      ...(l.filters?.quantized ? { filters: { shape: l.filters.shape, values: numbers(l.filters.quantized, filterStackShape(l.filters.shape))[0], totalFilters: l.filters.totalFilters } } : {}),
    })),
  };
}

function replyAsNumbers(reply: PickedMapsReply): unknown {
  if (!('maps' in reply)) return reply;
  const m = reply.maps;
  return {
    ...reply,
    maps: {
      ...m,
      input: { shape: m.input.shape, values: numbers(m.input.quantized, m.input.shape)[0], stride: m.input.stride },
      layers: m.layers.map((l) => ({ id: l.id, shape: l.shape, values: numbers(l.quantized, l.shape)[0], totalChannels: l.totalChannels, stride: l.stride })),
    },
  };
}

async function measure(file: string, epochs: number): Promise<void> {
  const text = readFileSync(join(root, 'examples', file), 'utf8').replace(/^(\s*)epochs: \d+$/m, `$1epochs: ${epochs}`);
  const parsed = parseModel(text);
  if (!parsed.spec) throw new Error(JSON.stringify(parsed.diagnostics));
  const records: StatsRecord[] = [];
  const replies: PickedMapsReply[] = [];
  const channel = new PickedMapsChannel((r) => replies.push(r));
  channel.request({ split: 'validation', index: 3 });
  await train(parsed.spec, {
    runId: 'bench', modelFile: join(root, 'examples', file), ...dirs, backend: 'wasm', token: neverCancelled, hooks: [channel.hook()],
    sink: { started: () => {}, batch: () => {}, log: () => {}, epoch: () => {}, stats: (r) => records.push(r), diagnostics: () => {} },
  });
  const epoch = [...records].reverse().find((r) => r.epoch === epochs);
  const reply = replies.at(-1);
  console.log(`${file} (${epochs} epoch${epochs > 1 ? 's' : ''}, wasm)                 as sent    as numbers`);
  if (epoch) {
    console.log(`  statistics record of epoch ${epochs}      ${kb(epoch).padStart(8)} KB ${kb(recordAsNumbers(epoch)).padStart(8)} KB`);
    for (const view of ['weights', 'gradients', 'filters', 'predictions'] as const) {
      console.log(`    slice for ${view.padEnd(12)}          ${kb(sliceRecord(view, epoch)).padStart(8)} KB ${kb(sliceRecord(view, recordAsNumbers(epoch))).padStart(8)} KB`);
    }
  }
  if (reply) console.log(`  picked-maps answer (validation #3)  ${kb(reply).padStart(8)} KB ${kb(replyAsNumbers(reply)).padStart(8)} KB`);
}

async function main(): Promise<void> {
  await measure('digits-cnn.model.yaml', 3);
  await measure('mnist-cnn.model.yaml', 1);
}

void main();
